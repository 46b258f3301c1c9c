-- whoholds: Module:Iraqi insurgency detailed map (hand-written example), en.wikipedia.org, revision 1 of 2016-08-01T12:00:00Z
-- A small file written for the whoholds tests in the style of Wikipedia's detailed-map modules; not a copy of one.
-- Holders are illustrative (mid-2016): red = government, yellow = Kurdish forces, black = ISIL.
local m = mw.loadData('Module:Middle East conflicts map marks') return {
	marks = {
		-- Baghdad and the south
		{ lat = 33.315, long = 44.366, mark = m.gov, marksize = 10, label = "[[Baghdad]]", label_size = 0 },
		{ lat = 30.508, long = 47.783, mark = m.gov, marksize = 8, label = "[[Basra]]", label_size = 0 },
		{ lat = 32.000, long = 44.330, mark = m.gov, marksize = 6, label = "[[Najaf]]" },
		-- Anbar
		{ lat = 33.420, long = 43.300, mark = m.gov, marksize = 7, label = "[[Ramadi]]" },
		{ lat = 33.350, long = 43.780, mark = m.gov, marksize = 7, label = "[[Fallujah]]" },
		{ lat = 34.140, long = 42.380, mark = m.gov, marksize = 6, label = "[[Haditha]]" },
		{ lat = 34.370, long = 41.090, mark = m.IS, marksize = 6, label = "[[Al-Qa'im]]" },
		{ lat = 34.470, long = 41.920, mark = m.IS, marksize = 6, label = "[[Rawa]]" },
		{ lat = 33.790, long = 42.440, mark = m.gov_air, marksize = 10, label = "[[Al Asad Airbase]]" },
		-- Salah ad-Din and Kirkuk
		{ lat = 34.610, long = 43.680, mark = m.gov, marksize = 7, label = "[[Tikrit]]" },
		{ lat = 34.198, long = 43.874, mark = m.gov, marksize = 7, label = "[[Samarra]]" },
		{ lat = 35.320, long = 43.770, mark = m.IS, marksize = 7, label = "[[Hawija]]" },
		{ lat = 35.468, long = 44.392, mark = m.SDF, marksize = 8, label = "[[Kirkuk]]" },
		-- Nineveh and the Kurdistan Region
		{ lat = 36.340, long = 43.130, mark = m.IS, marksize = 9, label = "[[Mosul]]" },
		{ lat = 36.377, long = 42.449, mark = m.IS, marksize = 7, label = "[[Tal Afar]]" },
		{ lat = 36.190, long = 44.010, mark = m.SDF, marksize = 9, label = "[[Erbil]]" },
		{ lat = 36.867, long = 42.950, mark = m.SDF, marksize = 7, label = "[[Duhok]]" },
		{ lat = 35.557, long = 45.435, mark = m.SDF, marksize = 8, label = "[[Sulaymaniyah]]" },
		{ lat = 36.500, long = 43.370, mark = m.SDF_hill, marksize = 6, label = "[[Mount Bashiqa]]" },
		-- a contested town (front line)
		{ lat = 35.730, long = 43.270, mark = m.truce_gov_opp, marksize = 6, label = "[[Qayyarah]]" },
	}
}
