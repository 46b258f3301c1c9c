"""Downloaders of public control maps (network access lives here, not in ``io/``, which only reads files).

- :mod:`.deepstate`: the DeepStateMap feed (deepstatemap.live) as ``deepstate_<unix time>.geojson`` files.
- :mod:`.wikipedia`: the revision of a Wikipedia map module current on a date, as a ``.lua`` file.

Each writes files that ``whoholds ingest`` reads as they are (dates come from names or headers).
"""
