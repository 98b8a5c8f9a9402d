"""URL routes: the admin for master data and the start page."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from tracelot.reports.start import start_page

urlpatterns = [
    path("", start_page, name="start"),
    # Browsers ask for it on their own. Answered here (a redirect sets no cookie), not by the
    # 404 page: that page would set a new CSRF cookie for a browser that has none, which
    # races with the sign-in form's own and fails its first POST.
    path("favicon.ico", RedirectView.as_view(url=static("tracelot/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("tracelot.accounts.urls")),
    path("lots/", include("tracelot.lotpages.urls")),
    path("audit/", include("tracelot.ledger.urls")),
    path("reports/", include("tracelot.reports.urls")),
    path("warehouse/", include("tracelot.warehouse.urls")),
    path("quality/", include("tracelot.quality.urls")),
    path("incidents/", include("tracelot.incidents.urls")),
    path("alerts/", include("tracelot.alerts.urls")),
    path("capture/", include("tracelot.capture.urls")),
    path("labels/", include("tracelot.labels.urls")),
]
