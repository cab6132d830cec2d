"""Base helpers every floor may use: text safety, private files, paths, settings, clock."""
