from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import login_only

from .selectors import inbox as inbox_for
from .services import notification_mark_read


@login_only
def inbox(request):
    page = Paginator(inbox_for(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page, "querystring_base": ""})


@login_only
@require_POST
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notification_mark_read(user=request.user, notification_ids=ids)
    return redirect("notifications:inbox")
