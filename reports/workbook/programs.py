"""The Programs sheet: each program's ratings, its extra questions and the previous period."""

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from feedback_forms.models import Evaluation
from programs.models import ProgramCategory
from reports.figures_schema import (
    Figures,
    ProgramFigures,
    QuestionFigures,
)
from reports.workbook.cells import (
    bar_chart,
    cell,
    chart_below,
    header_row,
    new_sheet,
)
from reports.workbook.labels import (
    CHANGE_FORMAT,
    COUNT_FORMAT,
    MEAN_FORMAT,
    PERCENT_FORMAT,
    PROGRAMS,
    field_label,
    plural_label,
    share_of,
)


def category_names() -> dict[str, str]:
    """Slug -> Georgian name: the frozen figures keep the slug of a program's category."""
    return dict(ProgramCategory.objects.values_list("slug", "name_ka"))


def write_programs(workbook: Workbook, figures: Figures) -> None:
    headers = [
        field_label(Evaluation, "program"),
        field_label(Evaluation, "category"),
        field_label(Evaluation, "service"),
        _("Question"),
        plural_label(Evaluation),
        _("Verified share"),
        _("Mean rating"),
        *(_("Rated %(rating)s") % {"rating": rating} for rating in range(1, 6)),
        _("Low-rating share (1-2)"),
        _("Evaluations in the previous period"),
        _("Mean in the previous period"),
        _("Change from the previous period"),
    ]
    widths = [30, 16, 22, 24, 11, 10, 9, 6, 6, 6, 6, 6, 10, 12, 11, 11]
    sheet = new_sheet(workbook, PROGRAMS, widths)
    sheet.append(header_row(sheet, headers))
    categories = category_names()
    overall = field_label(Evaluation, "overall_rating")
    programs = figures["programs"]

    def distribution(row: ProgramFigures | QuestionFigures) -> list[Any]:
        counts = row.get("distribution") or {}
        return [cell(sheet, counts.get(str(r), 0), COUNT_FORMAT) for r in range(1, 6)]

    def start(program: ProgramFigures, question: str) -> list[Any]:
        return [
            cell(sheet, program.get("title") or ""),
            cell(sheet, categories.get(program.get("category") or "", program.get("category"))),
            cell(sheet, program.get("service") or ""),
            cell(sheet, question),
        ]

    for program in programs:
        sheet.append(
            [
                *start(program, overall),
                cell(sheet, program.get("count"), COUNT_FORMAT),
                cell(sheet, program.get("verified_share"), PERCENT_FORMAT),
                cell(sheet, program.get("mean"), MEAN_FORMAT),
                *distribution(program),
                cell(sheet, program.get("low_share"), PERCENT_FORMAT),
                cell(sheet, program.get("previous_count"), COUNT_FORMAT),
                cell(sheet, program.get("previous_mean"), MEAN_FORMAT),
                cell(sheet, program.get("mean_change"), CHANGE_FORMAT),
            ]
        )
    # The extra questions below the programs, so the chart's range is the programs alone.
    for program in programs:
        for question in program.get("questions", []):
            counts = question.get("distribution") or {}
            low = sum(int(counts.get(str(r), 0)) for r in (1, 2))
            sheet.append(
                [
                    *start(program, question.get("label") or question.get("name") or ""),
                    cell(sheet, question.get("count"), COUNT_FORMAT),
                    None,
                    cell(sheet, question.get("mean"), MEAN_FORMAT),
                    *distribution(question),
                    cell(sheet, share_of(low, question.get("count")), PERCENT_FORMAT),
                ]
            )
    questions = sum(len(program.get("questions", [])) for program in programs)
    anchor, break_row = chart_below(1 + len(programs) + questions)
    bar_chart(
        sheet,
        title=_("Mean overall rating per program"),
        axis_title=_("Mean rating (1-5)"),
        label_column=1,
        value_column=7,
        rows=len(programs),
        anchor=anchor,
        maximum=5,
        new_page_after_row=break_row,
    )
