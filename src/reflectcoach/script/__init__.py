"""Conversation scripts: the YAML format, its validator and the loaded model.

Modules: `model` (immutable data), `yamlsafe` (bounded YAML), `conditions` and `templates`
(the two small languages inside scripts), `loader` (file -> Script + diagnostics) and
`registry` (directories -> catalog). Nothing is imported here, so importing one module stays
cheap; see docs/script-format.md for the format.
"""
