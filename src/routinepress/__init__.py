"""routinepress: compile a JSON home-exercise routine into a printable PDF handout."""

__version__ = "0.1.0"
