def import_upload(request):
    pass


def import_preview(request, token):
    pass


def import_rejects(request, token):
    pass
