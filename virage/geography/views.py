from django.shortcuts import render

from .selectors import search_municipalities


def municipality_search(request):
    """Options for the municipality field: name, MRC and region, for an htmx autocomplete."""
    municipalities = search_municipalities(request.GET.get("q", "")[:100])
    return render(request, "geography/municipality_options.html", {"municipalities": municipalities})
