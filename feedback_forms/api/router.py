"""The API's one router: each resource's module adds its operations to it (see `__init__`)."""

from ninja import Router

from feedback_forms.api_support import in_request_language

router = Router()
router.add_decorator(in_request_language, mode="view")
