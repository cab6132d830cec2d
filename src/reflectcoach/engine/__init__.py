"""A conversation as a state machine: answers, records, follow-ups, the Mermaid graph."""
