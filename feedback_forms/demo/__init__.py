"""The feedback app's demo content, by purpose: `forms` (an evaluation form under every
program), `submissions` (needs and evaluations over their half-years), `late_entries` (paper forms
typed in after a report was sent),
`answer_templates`, and `loop` (what the scheduled jobs find to send)."""

from feedback_forms.demo.answer_templates import ensure_demo_answer_templates
from feedback_forms.demo.forms import EVALUATION_QUESTIONS, ensure_evaluation_forms
from feedback_forms.demo.late_entries import ensure_demo_late_entries
from feedback_forms.demo.loop import ensure_demo_loop
from feedback_forms.demo.submissions import ensure_demo_submissions, timeline_of
from feedback_forms.site_pages import ensure_needs_form  # the demo has always offered it

__all__ = [
    "EVALUATION_QUESTIONS",
    "ensure_demo_answer_templates",
    "ensure_demo_late_entries",
    "ensure_demo_loop",
    "ensure_demo_submissions",
    "ensure_evaluation_forms",
    "ensure_needs_form",
    "timeline_of",
]
