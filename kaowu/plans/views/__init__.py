"""Screens of the plan stage: batch plans with sessions and change requests,
the district view, annual plans and notices. Reads go through plans.queries / kernel.tenancy;
every write is one service call; a refused action is shown beside its form with rule and citation.
"""
