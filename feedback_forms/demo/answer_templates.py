"""Demo answer templates per service and category, in both languages."""

#: (service slug, category slug or None, title ka, title en, text ka, text en)
DEMO_ANSWER_TEMPLATES = (
    (
        "infrastructure",
        "infrastructure",
        "ორმო შეკეთდა",
        "Pothole repaired",
        "გმადლობთ შეტყობინებისთვის. ორმო შეკეთდა და გზა უსაფრთხოა.",
        "Thank you for telling us. The pothole was repaired and the road is safe.",
    ),
    (
        "infrastructure",
        "water",
        "წყალმომარაგება აღდგა",
        "Water supply restored",
        "წყალმომარაგება აღდგა. თუ პრობლემა განმეორდება, გთხოვთ, შეგვატყობინოთ.",
        "The water supply was restored. If the problem returns, please tell us.",
    ),
    (
        "social",
        None,
        "განცხადება განხილვაშია",
        "Application under review",
        "თქვენი საჭიროება სოციალური სამსახურის განხილვაშია; პასუხს ვადაში მიიღებთ.",
        "The social service is reviewing your need; you will have an answer in time.",
    ),
)


def ensure_demo_answer_templates() -> int:
    """A few answer templates per service, so the answer form shows the feature (idempotent)."""
    from feedback_forms.models import AnswerTemplate
    from programs.models import MunicipalService, ProgramCategory

    created = 0
    for service, category, title_ka, title_en, text_ka, text_en in DEMO_ANSWER_TEMPLATES:
        _template, made = AnswerTemplate.objects.get_or_create(
            title_ka=title_ka,
            defaults={
                "title_en": title_en,
                "text_ka": text_ka,
                "text_en": text_en,
                "service": MunicipalService.objects.filter(slug=service).first(),
                "category": ProgramCategory.objects.filter(slug=category).first()
                if category
                else None,
            },
        )
        created += made
    return created
