"""Printed forms of the plan stage: each module builds one form's data map, its PDF and its spreadsheet."""
