from feedback_forms.models.protection import RateLimitCounter

__all__ = ["RateLimitCounter"]
