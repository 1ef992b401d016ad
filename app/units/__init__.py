"""Unit register: buildings and the dwellings (units) in them."""
