"""The Textual front end (`app.ReflectCoachApp`). Nothing outside this package imports Textual."""
