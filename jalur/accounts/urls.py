from django.urls import path

from . import two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login, name="login"),
    path("keluar/", views.logout, name="logout"),
    path("akun/", views.profile, name="profile"),
    path("akun/kata-sandi/", views.password_change, name="password_change"),
    path("akun/kata-sandi/selesai/", views.password_change_done, name="password_change_done"),
    path("lupa-kata-sandi/", views.password_reset, name="password_reset"),
    path("lupa-kata-sandi/terkirim/", views.password_reset_done, name="password_reset_done"),
    path(
        "atur-ulang/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"
    ),
    path("masuk/kode/", two_factor_views.otp_verify, name="otp_verify"),
    path("akun/dua-langkah/", two_factor_views.otp_setup, name="otp_setup"),
    path(
        "akun/dua-langkah/kode-pemulihan/",
        two_factor_views.otp_recovery_codes,
        name="otp_recovery_codes",
    ),
    path("akun/dua-langkah/atur-ulang/<int:pk>/", two_factor_views.otp_reset, name="otp_reset"),
    path("atur-ulang/selesai/", views.password_reset_complete, name="password_reset_complete"),
]
