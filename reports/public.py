"""Placeholder: the public results and accountability views are being written."""

from django.http import Http404


def results_index(page, request):
    raise Http404


def results_detail(page, request, code):
    raise Http404


def accountability_context(request) -> dict:
    return {}
