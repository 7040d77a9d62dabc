"""Write functions of the item bank, one module per topic: blueprints, items, assembly, sealing.

Every write takes an Actor, runs in one transaction and appends its audit event (kernel.audit)."""
