"""The item bank's router, which every endpoint module of this package registers on."""

from ninja import Router

router = Router()
