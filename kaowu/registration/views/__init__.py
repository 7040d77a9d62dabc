"""Screens of registration: the candidate portal, the organisation's review, fees and imports, and the
district's spot checks (REG-1 … REG-8). Reads go through registration.queries / kernel.tenancy (404 for missing
and not-yours alike); every write is one service call; a refused action is shown beside its form with its rule.
"""
