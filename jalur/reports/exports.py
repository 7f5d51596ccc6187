"""The monthly report for the mayor: a PDF in Indonesian (fpdf2, charts drawn with its own shapes)
and the same figures as an Excel workbook (openpyxl). Both take the dict of selectors.monthly.monthly_report."""

from django.utils.translation import gettext as _
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Font

from jalur.core.pdf import FAMILY, JalurPdf
from jalur.core.xlsx import workbook_bytes
from jalur.regions.naming import programme_name

from . import charts

BRAND = (11, 83, 148)
LIGHT = (159, 195, 231)
GROUP_COLOURS = {"process": (46, 144, 250), "departed": (27, 127, 59), "stopped": (152, 162, 179)}


def _text(value) -> str:
    """The text of a value as printed: every script as it is (jalur.core.pdf has the fonts)."""
    return "" if value is None else str(value)


def _num(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _pct(value) -> str:
    return "-" if value is None else f"{_num(value)}%"


class _Report(JalurPdf):
    title_text = ""

    def header(self):
        if self.page_no() > 1:
            self.set_font(FAMILY, "I", 8)
            self.set_text_color(90)
            self.cell(0, 6, _text(self.title_text), new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0)

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(90)
        self.cell(0, 8, _text(f"Jalur · {programme_name()} · {self.page_no()}"), align="C")
        self.set_text_color(0)

    # --- building blocks -----------------------------------------------------------------------
    def heading(self, text: str, *, room: float = 30) -> None:
        """A section title, on a new page when what follows (`room` mm) would not fit under it."""
        if self.get_y() + 12 + room > 280:
            self.add_page()
        self.ln(3)
        self.set_font(FAMILY, "B", 12)
        self.set_text_color(*BRAND)
        self.cell(0, 8, _text(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)

    def note(self, text: str) -> None:
        self.set_font(FAMILY, "I", 8)
        self.multi_cell(0, 4, _text(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def table(self, headers: list[str], rows: list[list], widths: list[float]) -> None:
        """Headers repeat on a new page; the first column is text that wraps within it, the
        others are numbers."""
        self.set_font(FAMILY, size=8)
        self.set_fill_color(255)  # fpdf2's table starts from the current colours (a chart's)
        with super().table(
            col_widths=widths,
            width=sum(widths),
            align="LEFT",
            text_align=["LEFT"] + ["RIGHT"] * (len(widths) - 1),
            v_align="TOP",
            line_height=4,
            padding=(0.8, 1),
            headings_style=FontFace(emphasis="BOLD", fill_color=(240, 244, 248)),
            repeat_headings=1,
        ) as table:
            table.row([_text(header) for header in headers])
            for row in rows:
                table.row([_text(value) for value in row])
        self.ln(2)

    ROW_MM = 7.5
    BAR_MM = 3.2
    BARS_MM = 150

    def hbars_height(self, chart: charts.HBarChart) -> float:
        return len(chart.bars) * self.ROW_MM + 2

    def hbars(self, chart: charts.HBarChart, colours: dict[str, tuple]) -> None:
        """A horizontal bar chart from charts.hbars, compact: a label line and a bar per row."""
        if self.get_y() + self.hbars_height(chart) > 280:
            self.add_page()
        top, left = self.get_y(), self.l_margin
        scale = self.BARS_MM / (chart.width - charts.VALUE_ROOM)
        self.set_font(FAMILY, size=7)
        for i, bar in enumerate(chart.bars):
            y = top + i * self.ROW_MM
            self.text(left, y + 2.6, _text(bar.label))
            end = left
            for segment in bar.segments:
                if segment.width <= 0:
                    continue
                self.set_fill_color(*colours.get(segment.css, BRAND))
                width = max(segment.width * scale, 0.3)
                self.rect(left + segment.x * scale, y + 3.4, width, self.BAR_MM, style="F")
                end = left + segment.x * scale + width
            self.text(end + 1.5, y + 6.1, _text(bar.value_text))
        self.set_y(top + self.hbars_height(chart))

    def legend(self, items: list[tuple[tuple, str]]) -> None:
        self.set_font(FAMILY, size=7)
        x, y = self.l_margin, self.get_y()
        for colour, label in items:
            self.set_fill_color(*colour)
            self.rect(x, y + 0.6, 3, 3, style="F")
            self.text(x + 4, y + 3.2, _text(label))
            x += 6 + self.get_string_width(_text(label))
        self.set_y(y + 6)

    def columns(self, chart: charts.ColumnChart) -> None:
        scale = 180 / chart.width
        height = chart.height * scale * 0.5
        if self.get_y() + height > 275:
            self.add_page()
        top, left = self.get_y(), self.l_margin
        self.set_draw_color(200)
        self.line(
            left, top + chart.axis_y * scale * 0.5, left + 180, top + chart.axis_y * scale * 0.5
        )
        self.set_fill_color(*BRAND)
        self.set_font(FAMILY, size=7)
        for column in chart.columns:
            if column.height > 0:
                self.rect(
                    left + column.x * scale,
                    top + column.y * scale * 0.5,
                    column.width * scale,
                    column.height * scale * 0.5,
                    style="F",
                )
            if chart.show_values:
                self.text(
                    left + column.label_x * scale - 2,
                    top + column.value_y * scale * 0.5,
                    _text(column.value_text),
                )
            if column.show_label:
                self.text(
                    left + column.label_x * scale - 4,
                    top + (chart.axis_y + 12) * scale * 0.5,
                    _text(column.label),
                )
        self.set_y(top + height + 3)


SEGMENT_COLOURS = {
    "seg-now": BRAND,
    "seg-rest": LIGHT,
    "seg-main": BRAND,
    **{f"seg-{group}": colour for group, colour in GROUP_COLOURS.items()},
}


def monthly_pdf(report: dict) -> bytes:
    pdf = _Report(format="A4")
    pdf.title_text = _("Laporan bulanan %(month)s") % {"month": report["title"]}
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 12, 15)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 15)
    pdf.multi_cell(
        0,
        8,
        _text(_("Laporan Bulanan %(name)s") % {"name": programme_name()}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FAMILY, size=11)
    pdf.cell(
        0,
        6,
        _text(_("Bulan: %(month)s") % {"month": report["title"]}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FAMILY, size=8)
    pdf.cell(
        0,
        5,
        _text(
            _("Dibuat dari Jalur pada %(at)s") % {"at": f"{report['generated_at']:%d-%m-%Y %H.%M}"}
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )

    pdf.heading(_("Angka utama"))
    target = report["target"]
    pdf.set_font(FAMILY, size=10)
    pdf.multi_cell(
        0,
        5,
        _text(
            _(
                "Sudah berangkat sampai akhir bulan: %(n)s dari target %(target)s orang (%(pct)s; target dari %(source)s)."
            )
            % {
                "n": _num(report["departed_to_date"]),
                "target": _num(target["target"]),
                "pct": _pct(report["target_pct"]),
                "source": target["source"],
            }
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    top = pdf.get_y() + 1
    pdf.set_fill_color(228, 231, 235)
    pdf.rect(15, top, 180, 4, style="F")
    share = min((report["target_pct"] or 0) / 100, 1)
    if share > 0:
        pdf.set_fill_color(*GROUP_COLOURS["departed"])
        pdf.rect(15, top, 180 * share, 4, style="F")
    pdf.set_y(top + 7)
    pdf.table(
        [_("Tahap yang dicapai"), _("Bulan ini"), _("Sejak awal program")],
        [[r["label"], _num(r["month"]), _num(r["to_date"])] for r in report["key"]],
        [100, 40, 40],
    )
    pdf.note(
        _("Dihitung per orang: seseorang dihitung pada bulan ia pertama kali mencapai tahap itu.")
    )

    pdf.heading(_("Keberangkatan per bulan (12 bulan)"), room=60)
    pdf.columns(report["departures"]["chart"])
    pdf.heading(_("Pendaftaran baru per bulan (12 bulan)"), room=60)
    pdf.columns(report["registrations"]["chart"])

    pdf.heading(
        _("Tahap pencari kerja (terdaftar sampai akhir bulan, posisi hari ini)"),
        room=pdf.hbars_height(report["funnel"]["chart"]),
    )
    pdf.hbars(report["funnel"]["chart"], SEGMENT_COLOURS)
    pdf.legend([(BRAND, _("Sedang di tahap itu")), (LIGHT, _("Sudah melewatinya"))])
    pdf.table(
        [_("Tahap"), _("Saat ini"), _("Pernah mencapai")],
        [[r["label"], _num(r["now"]), _num(r["reached"])] for r in report["funnel"]["rows"]],
        [100, 40, 40],
    )

    for table in report["breakdowns"]:
        if table["key"] == "pathway":
            continue
        pdf.heading(table["title"], room=pdf.hbars_height(table["chart"]))
        pdf.hbars(table["chart"], SEGMENT_COLOURS)
        pdf.legend(
            [
                (GROUP_COLOURS["process"], _("Masih berproses")),
                (GROUP_COLOURS["departed"], _("Sudah berangkat")),
                (GROUP_COLOURS["stopped"], _("Berhenti atau ditolak")),
            ]
        )
        pdf.table(
            [table["title"], _("Jumlah"), _("Berproses"), _("Berangkat"), _("Berhenti")],
            [
                [
                    r["label"],
                    _num(r["total"]),
                    _num(r["process"]),
                    _num(r["departed"]),
                    _num(r["stopped"]),
                ]
                for r in table["rows"]
            ]
            + [
                [
                    _("Jumlah"),
                    _num(table["total"]),
                    _num(table["process"]),
                    _num(table["departed"]),
                    _num(table["stopped"]),
                ]
            ],
            [76, 26, 26, 26, 26],
        )
    pdf.note(str(report["definition"]))

    pdf.heading(_("Lama di setiap tahap (hari)"))
    month_rows = {r["stage"]: r for r in report["dwell_month"]["rows"]}
    pdf.table(
        [
            _("Tahap"),
            _("Selesai bln ini"),
            _("Rata-rata"),
            _("P90"),
            _("12 bln: rata-rata"),
            _("P90"),
        ],
        [
            [
                r["label"],
                _num(month_rows.get(r["stage"], {}).get("n")),
                _num(month_rows.get(r["stage"], {}).get("avg")),
                _num(month_rows.get(r["stage"], {}).get("p90")),
                _num(r["avg"]),
                _num(r["p90"]),
            ]
            for r in report["dwell_year"]["rows"]
        ],
        [60, 26, 24, 20, 30, 20],
    )
    pdf.note(_("P90: 90% orang menyelesaikan tahap itu dalam jumlah hari ini atau kurang."))

    training = report["training"]
    pdf.heading(_("Pelatihan: angkatan yang mulai dalam 12 bulan"))
    pdf.table(
        [_("Lembaga"), _("Angkatan"), _("Lulus"), _("Tidak lulus"), _("Kehadiran"), _("Kelulusan")],
        [
            [
                r["name"],
                _num(r["cohorts"]),
                _num(r["completed"]),
                _num(r["failed"]),
                _pct(r["attendance_pct"]),
                _pct(r["pass_pct"]),
            ]
            for r in [*training["providers"], training["total"]]
        ],
        [60, 22, 22, 24, 26, 26],
    )
    for scale in report["scores"]:
        pdf.heading(_("Nilai %(test)s (hasil resmi, 12 bulan)") % {"test": scale["title"]}, room=60)
        pdf.columns(scale["chart"])

    grievances = report["grievances"]
    if grievances is not None:
        pdf.heading(_("Pengaduan"))
        pdf.table(
            [_("Pengaduan"), _("Jumlah")],
            [
                [_("Masuk bulan ini"), _num(grievances["opened"])],
                [_("Ditutup bulan ini"), _num(grievances["closed"])],
                [_("Masih terbuka hari ini"), _num(grievances["open"])],
                [_("Melewati batas waktu hari ini"), _num(grievances["overdue"])],
            ],
            [120, 40],
        )
    expiry = report["expiry"]
    pdf.heading(_("Berakhir dalam 60 hari (sejak %(on)s)") % {"on": f"{expiry['on']:%d-%m-%Y}"})
    rows = [
        [f"{d['label']} ({d['source']})", _num(d["n"]), f"{d['first']:%d-%m-%Y}"]
        for d in expiry["documents"]
    ]
    rows += [[a["label"], "1", f"{a['ends_on']:%d-%m-%Y}"] for a in expiry["agreements"]]
    rows += [
        [_("Izin SIP3MI %(name)s") % {"name": a["label"]}, "1", f"{a['ends_on']:%d-%m-%Y}"]
        for a in expiry["agencies"]
    ]
    rows += [
        [_("Izin lembaga %(name)s") % {"name": p["label"]}, "1", f"{p['ends_on']:%d-%m-%Y}"]
        for p in expiry["providers"]
    ]
    if rows:
        pdf.table(
            [_("Dokumen atau perjanjian"), _("Jumlah"), _("Paling awal")], rows, [120, 25, 35]
        )
    else:
        pdf.note(_("Tidak ada dokumen atau perjanjian yang berakhir dalam 60 hari."))
    return bytes(pdf.output())


# --- Excel ------------------------------------------------------------------------------------------
def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list], widths: list[int]):
    sheet = book.create_sheet(title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def monthly_xlsx(report: dict) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("Ringkasan")
    summary.append([_("Laporan bulanan %(name)s") % {"name": programme_name()}])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([_("Bulan"), report["title"]])
    summary.append([_("Dibuat"), f"{report['generated_at']:%d-%m-%Y %H.%M}"])
    summary.append([_("Target program"), report["target"]["target"], report["target"]["source"]])
    summary.append([_("Sudah berangkat sampai akhir bulan"), report["departed_to_date"]])
    summary.append([_("Persentase target (%)"), report["target_pct"]])
    summary.append([])
    summary.append([_("Tahap yang dicapai"), _("Bulan ini"), _("Sejak awal program")])
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    for row in report["key"]:
        summary.append([row["label"], row["month"], row["to_date"]])
    summary.append([])
    summary.append([str(report["definition"])])
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 18
    summary.column_dimensions["C"].width = 22

    _sheet(
        book,
        _("Tahap"),
        [
            _("Tahap"),
            _("Saat ini"),
            _("Pernah mencapai"),
            _("Pertama kali mencapai (s.d. akhir bulan)"),
        ],
        [[r["label"], r["now"], r["reached"], r["arrived"]] for r in report["funnel"]["rows"]],
        [34, 12, 16, 30],
    )
    registrations = {r["month"]: r["n"] for r in report["registrations"]["rows"]}
    _sheet(
        book,
        _("Per bulan"),
        [_("Bulan"), _("Pendaftaran baru"), _("Keberangkatan")],
        [
            [r["label"], registrations.get(r["month"], 0), r["n"]]
            for r in report["departures"]["rows"]
        ],
        [20, 18, 16],
    )
    rows = []
    for table in report["breakdowns"]:
        rows.append([table["title"], _("Jumlah"), _("Berproses"), _("Berangkat"), _("Berhenti")])
        rows += [
            [r["label"], r["total"], r["process"], r["departed"], r["stopped"]]
            for r in table["rows"]
        ]
        rows.append(
            [_("Jumlah"), table["total"], table["process"], table["departed"], table["stopped"]]
        )
        rows.append([])
    _sheet(
        book,
        _("Rincian"),
        [_("Terdaftar sampai akhir bulan"), "", "", "", ""],
        rows,
        [40, 12, 12, 12, 12],
    )
    month_rows = {r["stage"]: r for r in report["dwell_month"]["rows"]}
    _sheet(
        book,
        _("Lama per tahap"),
        [
            _("Tahap"),
            _("Selesai bulan ini"),
            _("Rata-rata hari (bulan ini)"),
            _("P90 hari (bulan ini)"),
            _("Selesai 12 bulan"),
            _("Rata-rata hari (12 bulan)"),
            _("P90 hari (12 bulan)"),
        ],
        [
            [
                r["label"],
                month_rows.get(r["stage"], {}).get("n", 0),
                month_rows.get(r["stage"], {}).get("avg"),
                month_rows.get(r["stage"], {}).get("p90"),
                r["n"],
                r["avg"],
                r["p90"],
            ]
            for r in report["dwell_year"]["rows"]
        ],
        [30, 16, 22, 18, 16, 22, 18],
    )
    training = report["training"]
    headers = [
        _("Lembaga / angkatan"),
        _("Angkatan"),
        _("Peserta aktif"),
        _("Lulus"),
        _("Tidak lulus"),
        _("Keluar"),
        _("Kehadiran (%)"),
        _("Kelulusan (%)"),
    ]
    rows = [
        [
            r["name"],
            r["cohorts"],
            r["enrolled"],
            r["completed"],
            r["failed"],
            r["withdrawn"],
            r["attendance_pct"],
            r["pass_pct"],
        ]
        for r in [*training["providers"], training["total"]]
    ]
    rows.append([])
    rows += [
        [
            f"{r['name']} ({r['provider']}, {r['start_date']:%d-%m-%Y})",
            1,
            r["enrolled"],
            r["completed"],
            r["failed"],
            r["withdrawn"],
            r["attendance_pct"],
            r["pass_pct"],
        ]
        for r in training["cohorts"]
    ]
    _sheet(book, _("Pelatihan"), headers, rows, [50, 10, 12, 10, 12, 10, 14, 14])
    rows = []
    for scale in report["scores"]:
        rows += [[scale["title"], r["label"], r["n"]] for r in scale["rows"]]
    _sheet(
        book, _("Nilai bahasa"), [_("Ujian"), _("Rentang"), _("Jumlah hasil")], rows, [22, 24, 14]
    )
    grievances = report["grievances"] or {}
    _sheet(
        book,
        _("Pengaduan"),
        [_("Pengaduan"), _("Jumlah")],
        [
            [_("Masuk bulan ini"), grievances.get("opened", 0)],
            [_("Ditutup bulan ini"), grievances.get("closed", 0)],
            [_("Masih terbuka hari ini"), grievances.get("open", 0)],
            [_("Melewati batas waktu hari ini"), grievances.get("overdue", 0)],
        ]
        + [[r["label"], r["n"]] for r in grievances.get("by_status", [])],
        [40, 12],
    )
    expiry = report["expiry"]
    rows = [[d["label"], d["source"], d["n"], d["first"]] for d in expiry["documents"]]
    rows += [[a["label"], _("Perjanjian"), 1, a["ends_on"]] for a in expiry["agreements"]]
    rows += [[a["label"], _("Izin SIP3MI"), 1, a["ends_on"]] for a in expiry["agencies"]]
    rows += [
        [p["label"], _("Izin lembaga pelatihan"), 1, p["ends_on"]] for p in expiry["providers"]
    ]
    sheet = _sheet(
        book,
        _("Berakhir 60 hari"),
        [_("Dokumen atau perjanjian"), _("Jenis"), _("Jumlah"), _("Paling awal")],
        rows,
        [40, 30, 10, 14],
    )
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        for cell in row:
            cell.number_format = "DD-MM-YYYY"
    return workbook_bytes(book)
