"""The review screens through HTTP: a commune's periodic review step by step, the village meeting
that sends a village back, posting and the decision that locks the year, who may do what, and
the regular review on request (Mẫu 04) with its 15-working-day clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.html import escape

from gandan.core.models import Event
from gandan.geo.models import HamletKind
from gandan.geo.services import hamlet_create
from gandan.households import services
from gandan.households.models import (
    Assessment,
    FrozenReport,
    Indicator,
    RequestStatus,
    Review,
    ReviewEntry,
    ReviewRequest,
    ReviewStatus,
    VillageMeeting,
)
from gandan.households.tests.factories import assess, household
from gandan.households.tests.helpers import HUE, grant, signed_in

pytestmark = pytest.mark.django_db

AUTUMN = dt.datetime(2026, 10, 1, 9, 0, tzinfo=HUE)  # inside the 2026 review window
SPRING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=HUE)  # outside it
YEAR = 2026

POOR = {
    "income_per_capita": "500000",
    "members": "4",
    "deprived_water": "on",
    "deprived_latrine": "on",
    "deprived_telecom": "on",
}
NEAR_POOR = {"income_per_capita": "900000", "members": "3", "deprived_water": "on"}
NOT_POOR = {"income_per_capita": "5000000", "members": "3"}


@pytest.fixture
def autumn(time_machine):
    time_machine.move_to(AUTUMN, tick=False)
    return time_machine


def page(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def post(client, url, data, status=302):
    response = client.post(url, data)
    assert response.status_code == status, (response.status_code, response.content.decode())
    return response


@pytest.fixture
def village_2(personas):
    return hamlet_create(
        commune=personas.commune_a, name="Tổ dân phố 2", kind=HamletKind.TO_DAN_PHO
    )


@pytest.fixture
def commune_a(personas, village_2):
    """Commune A's 2025 lists: two households of village 1, one of village 2; one more that
    will file Mẫu 01."""
    h1 = household(personas.commune_a, hamlet=personas.hamlet_a, code="RV-01", head_name="An")
    h2 = household(personas.commune_a, hamlet=personas.hamlet_a, code="RV-02", head_name="Bình")
    h3 = household(personas.commune_a, hamlet=village_2, code="RV-03", head_name="Cúc")
    h4 = household(personas.commune_a, hamlet=village_2, code="RV-04", head_name="Dũng")
    assess(h1, YEAR - 1, "poor")
    assess(h2, YEAR - 1, "near_poor")
    assess(h3, YEAR - 1, "poor")
    return {"h1": h1, "h2": h2, "h3": h3, "h4": h4}


def open_review(personas, client=None) -> Review:
    client = client or personas.client("official_a")
    response = post(client, "/households/reviews/open/", {"unit": personas.commune_a.pk})
    review = Review.objects.get(unit=personas.commune_a, year=YEAR)
    assert response["Location"] == f"/households/reviews/{review.pk}/"
    return review


def review_url(review):
    return f"/households/reviews/{review.pk}/"


def decide(client, review, number, day, status=302):
    """The commune's decision recognising the review's results, posted on the review page."""
    data = {"action": "decide", "decision_number": number, "decided_on": day}
    return post(client, review_url(review), data, status)


def survey_url(review, household_):
    return f"/households/reviews/{review.pk}/households/{household_.pk}/"


def meeting(hamlet, present, agree, **extra):
    return {
        "action": "meeting",
        "hamlet": hamlet.pk,
        "held_on": "2026-10-20",
        "chaired_by": "Trần Văn Hùng",
        "supervised_by": "Nguyễn Thị Lan",
        "present": present,
        "agree": agree,
        "minutes": "Họp tại nhà văn hóa.",
        **extra,
    }


def state(review):
    """Everything a refused POST must leave as it was."""
    review.refresh_from_db()
    return (
        review.status,
        review.posting_from,
        review.decision_number,
        list(Assessment.objects.order_by("pk").values_list("pk", "standing", "income_per_capita")),
        VillageMeeting.objects.count(),
        ReviewEntry.objects.count(),
        Event.objects.count(),
    )


# --- The reviews list and opening --------------------------------------------------------------


def test_an_official_opens_this_years_review_of_his_commune(personas, autumn, commune_a):
    client = personas.client("official_a")
    listed = page(client, "/households/reviews/")
    assert "Kỳ rà soát định kỳ năm 2026: từ 01/09/2026 đến 14/12/2026" in listed
    assert "ngoài thời gian rà soát định kỳ" not in listed
    assert "Mở đợt rà soát năm 2026" in listed and "Nghị định 351/2025/NĐ-CP" in listed

    review = open_review(personas, client)
    assert review.status == ReviewStatus.LISTING and review.started_on == dt.date(2026, 10, 1)
    assert set(review.entries.values_list("household__code", flat=True)) == {
        "RV-01",
        "RV-02",
        "RV-03",
    }
    shown = page(client, review_url(review))
    assert 'aria-current="step"><span class="n">Bước 1</span>Lập danh sách' in shown
    assert "Mở đợt rà soát, lập danh sách hộ" in shown  # the timeline
    # The reviews list: its step and counts; the commune cannot open a second one.
    after = page(client, "/households/reviews/")
    assert "Lập danh sách hộ cần rà soát" in after and "Phường Thuận Hóa" in after
    assert "Mở đợt rà soát năm 2026" not in after


def test_outside_the_window_the_page_warns_but_still_opens(personas, time_machine, commune_a):
    time_machine.move_to(SPRING, tick=False)
    client = personas.client("official_a")
    assert "Hôm nay (02/03/2026) ngoài thời gian rà soát định kỳ" in page(
        client, "/households/reviews/"
    )
    response = client.post(
        "/households/reviews/open/", {"unit": personas.commune_a.pk}, follow=True
    )
    assert "Lưu ý: hôm nay ngoài thời gian rà soát định kỳ" in response.content.decode()
    assert Review.objects.filter(unit=personas.commune_a, year=YEAR).exists()


def test_only_writers_of_the_commune_open_its_review(personas, autumn, commune_a):
    for name in ("viewer_a", "leader"):
        assert "Mở đợt rà soát" not in page(personas.client(name), "/households/reviews/")
        assert (
            personas.client(name)
            .post("/households/reviews/open/", {"unit": personas.commune_a.pk})
            .status_code
            == 403
        )
    response = personas.client("official_b").post(
        "/households/reviews/open/", {"unit": personas.commune_a.pk}
    )
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_another_commune_gets_404_on_the_review_and_its_surveys(personas, autumn, commune_a):
    review = open_review(personas)
    client = personas.client("official_b")
    before = state(review)
    assert client.get(review_url(review)).status_code == 404
    assert client.get(survey_url(review, commune_a["h1"])).status_code == 404
    assert client.post(survey_url(review, commune_a["h1"]), POOR).status_code == 404
    assert (
        client.post(
            review_url(review), {"action": "post", "posting_from": "2026-10-05"}
        ).status_code
        == 404
    )
    assert "RV-01" not in page(client, "/households/reviews/")
    assert state(review) == before


# --- The survey --------------------------------------------------------------------------------


def test_the_survey_form_has_one_checkbox_per_indicator_of_the_years_standard(
    personas, autumn, commune_a
):
    review = open_review(personas)
    shown = page(personas.client("official_a"), survey_url(review, commune_a["h1"]))
    indicators = Indicator.objects.filter(standard=review.standard)
    assert indicators.count() == 12
    for indicator in indicators:
        assert f'name="deprived_{indicator.code}"' in shown
        assert escape(indicator.name) in shown
    assert "Kết quả năm 2025" in shown and "Hộ nghèo" in shown


def test_saving_a_survey_shows_the_classification_and_its_explanation(personas, autumn, commune_a):
    review = open_review(personas)
    client = personas.client("official_a")
    response = post(client, survey_url(review, commune_a["h1"]), {**POOR, "b1_score": "40"})
    assert response["Location"] == survey_url(review, commune_a["h1"])
    saved = Assessment.objects.get(household=commune_a["h1"], year=YEAR)
    assert saved.standing == "poor" and saved.review == review and saved.b1_score == 40
    assert set(saved.deprived_codes) == {"water", "latrine", "telecom"}
    shown = page(client, survey_url(review, commune_a["h1"]))
    assert '<span class="badge poor" id="standing">Hộ nghèo</span>' in shown
    assert escape(services.explain(saved)) in shown
    assert "thiếu hụt 3/12 chỉ số" in shown
    review.refresh_from_db()
    assert review.status == ReviewStatus.SURVEYING


def test_a_bad_survey_is_refused_on_the_form_and_nothing_is_saved(personas, autumn, commune_a):
    review = open_review(personas)
    before = state(review)
    response = post(
        personas.client("official_a"),
        survey_url(review, commune_a["h1"]),
        {**POOR, "income_per_capita": "-5", "members": "0"},
        status=400,
    )
    shown = response.content.decode()
    assert "Chưa lưu được, không có gì thay đổi" in shown
    assert "Thu nhập bình quân đầu người/tháng (đồng)" in shown
    assert state(review) == before


def test_a_household_off_the_list_has_no_survey_page(personas, autumn, commune_a):
    review = open_review(personas)
    assert personas.client("official_a").get(survey_url(review, commune_a["h4"])).status_code == 404


def test_a_household_that_filed_form_01_joins_the_list(personas, autumn, commune_a):
    review = open_review(personas)
    client = personas.client("official_a")
    post(client, review_url(review), {"action": "request_add", "code": "RV-04"})
    entry = review.entries.get(household=commune_a["h4"])
    assert entry.reason == ReviewEntry.Reason.REQUEST
    assert "Có giấy đề nghị (Mẫu 01)" in page(client, review_url(review))
    unknown = post(client, review_url(review), {"action": "request_add", "code": "XX-99"}, 400)
    assert (
        "Không tìm thấy hộ mã &#x27;XX-99&#x27; trong phạm vi của bạn." in unknown.content.decode()
    )
    assert review.entries.count() == 4


# --- The whole review: meetings, posting, the decision, the lock -------------------------------


def test_a_review_from_the_list_to_the_locked_decision(personas, autumn, commune_a, village_2):
    h1, h2, h3, h4 = (commune_a[k] for k in ("h1", "h2", "h3", "h4"))
    client = personas.client("official_a")
    review = open_review(personas, client)
    post(client, review_url(review), {"action": "request_add", "code": h4.code})
    post(client, survey_url(review, h1), POOR)
    post(client, survey_url(review, h2), NOT_POOR)
    post(client, survey_url(review, h3), NEAR_POOR)

    # A village whose households are not all surveyed cannot meet yet.
    early = post(client, review_url(review), meeting(village_2, 15, 12), status=400)
    assert "Còn 1 hộ của Tổ dân phố 2 chưa có phiếu khảo sát: chưa họp được." in (
        early.content.decode()
    )
    post(client, survey_url(review, h4), POOR)

    # Village 1: exactly half agree — not "more than half": back to surveying and meeting.
    post(client, review_url(review), meeting(personas.hamlet_a, 20, 10))
    post(client, review_url(review), meeting(village_2, 15, 12))
    shown = page(client, review_url(review))
    assert (
        '10/20 người dự họp đồng ý — <span class="late">chưa đạt trên 50%: khảo sát lại và họp lại</span>'
        in shown
    )
    assert '12/15 người dự họp đồng ý — <span class="ok">thông qua</span>' in shown
    assert "Cần khảo sát lại các hộ của Tổ dân phố 1 và họp lại (lần 2)" in shown
    assert "Họp thôn chưa thông qua: khảo sát lại và họp lại" in shown  # timeline
    review.refresh_from_db()
    assert review.status == ReviewStatus.MEETINGS

    # Posting is refused while village 1 has not adopted the results; nothing changes.
    before = state(review)
    refused = post(
        client, review_url(review), {"action": "post", "posting_from": "2026-10-26"}, 400
    )
    assert "Còn 1 thôn, tổ dân phố chưa họp thông qua kết quả (Tổ dân phố 1)." in (
        refused.content.decode()
    )
    assert state(review) == before
    # Village 2 adopted: its surveys are closed; village 1 is surveyed again and meets again.
    closed = post(client, survey_url(review, h3), POOR, status=400)
    assert "Thôn đã họp thông qua kết quả" in closed.content.decode()
    post(client, survey_url(review, h2), NEAR_POOR)
    post(client, review_url(review), meeting(personas.hamlet_a, 20, 15, held_on="2026-10-27"))
    assert VillageMeeting.objects.get(hamlet=personas.hamlet_a, round=2).accepted

    # Step 4: posting for three working days, 2–4 November 2026.
    post(client, review_url(review), {"action": "post", "posting_from": "2026-11-02"})
    shown = page(client, review_url(review))
    assert "từ 02/11/2026 đến hết 04/11/2026" in shown
    assert 'aria-current="step"><span class="n">Bước 4</span>Niêm yết công khai' in shown
    assert 'value="decide"' not in shown  # the officer does not sign
    assert "Ghi quyết định" not in shown

    # Only the commune leader decides.
    before = state(review)
    not_leader = decide(client, review, "99/QĐ-UBND", "2026-11-05", 403)
    assert "Chỉ lãnh đạo UBND xã, phường (Chủ tịch) ra quyết định công nhận" in (
        not_leader.content.decode()
    )
    assert state(review) == before
    chair = signed_in(grant(personas, "chutich_a", "commune_leader"))
    assert "Ghi quyết định và khóa số liệu" in page(chair, review_url(review))
    before = state(review)  # granting the role wrote its own events
    too_soon = decide(chair, review, "123/QĐ-UBND", "2026-11-04", 400)
    assert "Thời gian niêm yết chưa hết (đến hết 04/11/2026)." in too_soon.content.decode()
    assert state(review) == before
    decide(chair, review, "123/QĐ-UBND", "2026-11-05")
    review.refresh_from_db()
    assert review.status == ReviewStatus.DECIDED and review.decision_number == "123/QĐ-UBND"

    # Locked: the frozen figures, no forms anywhere, every POST refused with nothing changed.
    frozen = FrozenReport.objects.get(review=review).data
    assert (frozen["households"], frozen["poor"], frozen["near_poor"]) == (4, 2, 2)
    for reader in (client, chair, personas.client("viewer_a")):
        shown = page(reader, review_url(review))
        assert "Đã khóa" in shown and "số 123/QĐ-UBND ngày 05/11/2026" in shown
        assert '<div class="card stat" id="frozen-households"><span class="num">4</span>' in shown
        assert '<div class="card stat" id="frozen-poor"><span class="num">2</span>' in shown
        assert "50,0&nbsp;%" in shown  # 2 of 4, written the Vietnamese way
        assert "tính đến ngày 14/12/2026" in shown
        assert 'name="action"' not in shown and '<form method="post" class="stack' not in shown
        if reader is not client and reader is not chair:  # a viewer: figures, not households
            assert h1.code not in shown
            page(reader, survey_url(review, h1), status=404)
            continue
        survey_page = page(reader, survey_url(review, h1))
        assert 'id="survey-form"' not in survey_page and "Đã khóa" in survey_page
    before = state(review)
    for url, data, status in [
        (survey_url(review, h1), NOT_POOR, 400),
        (review_url(review), meeting(personas.hamlet_a, 20, 20), 400),
        (review_url(review), {"action": "request_add", "code": h4.code}, 400),
        (review_url(review), {"action": "post", "posting_from": "2026-11-09"}, 400),
    ]:
        refused = post(client, url, data, status)
        assert "đã có quyết định công nhận: dữ liệu đã khóa" in refused.content.decode()
    again = decide(chair, review, "124/QĐ-UBND", "2026-11-06", 400)
    assert "dữ liệu đã khóa" in again.content.decode()
    assert state(review) == before
    # The timeline tells the whole story.
    shown = page(client, review_url(review))
    for label in (
        "Mở đợt rà soát, lập danh sách hộ",
        "Bổ sung hộ có giấy đề nghị (Mẫu 01)",
        "Bắt đầu khảo sát, chấm điểm",
        "Họp thôn thông qua kết quả",
        "Niêm yết công khai",
        "Quyết định công nhận, khóa số liệu",
    ):
        assert label in shown
    assert "quyết định số 123/QĐ-UBND ngày 05/11/2026" in shown


# --- A village head: his village's surveys and meeting -----------------------------------------


def test_a_village_head_surveys_and_meets_for_his_village_only(
    personas, autumn, commune_a, village_2
):
    review = open_review(personas)
    head = signed_in(grant(personas, "truongthon_a", "village_head", hamlet=personas.hamlet_a))
    shown = page(head, review_url(review))
    assert 'value="request_add"' not in shown and 'value="post"' not in shown
    # His village's households, listed one by one; the other village's: its counts only.
    assert "RV-01" in shown and "RV-03" not in shown and "Cúc" not in shown
    page(head, survey_url(review, commune_a["h3"]), status=404)
    post(head, survey_url(review, commune_a["h1"]), POOR)
    post(head, survey_url(review, commune_a["h2"]), NEAR_POOR)
    assert head.post(survey_url(review, commune_a["h3"]), POOR).status_code == 404
    post(personas.client("official_a"), survey_url(review, commune_a["h3"]), POOR)
    assert head.post(review_url(review), meeting(village_2, 10, 9)).status_code == 404
    post(head, review_url(review), meeting(personas.hamlet_a, 10, 9))
    assert (
        head.post(review_url(review), {"action": "post", "posting_from": "2026-11-02"}).status_code
        == 404
    )
    assert list(VillageMeeting.objects.values_list("hamlet", "accepted")) == [
        (personas.hamlet_a.pk, True)
    ]


# --- The regular review on request (Mẫu 04) ----------------------------------------------------


def test_a_request_is_due_fifteen_working_days_after_it_is_received(
    personas, time_machine, commune_a
):
    time_machine.move_to(dt.datetime(2026, 4, 20, 9, 0, tzinfo=HUE), tick=False)
    client = personas.client("official_a")
    response = post(
        client,
        "/households/requests/new/",
        {
            "code": "RV-04",
            "received_on": "2026-04-20",
            "asks": "enter",
            "reason": "Chủ hộ ốm nặng, mất thu nhập.",
        },
    )
    request = ReviewRequest.objects.get()
    assert response["Location"] == f"/households/requests/{request.pk}/"
    # 27/4 (Giỗ Tổ, moved from Sunday 26/4), 30/4 and 1/5 are holidays: not 5 May but 14 May.
    assert request.due_on == dt.date(2026, 5, 14)
    assert "14/05/2026" in page(client, f"/households/requests/{request.pk}/")
    listed = page(client, "/households/requests/")
    assert "14/05/2026" in listed and 'class="late"' not in listed

    time_machine.move_to(dt.datetime(2026, 5, 15, 9, 0, tzinfo=HUE), tick=False)
    client = personas.client("official_a")
    late = page(client, "/households/requests/")
    assert f'<tr id="request-{request.pk}" class="late">' in late
    assert "quá hạn" in late and "1 đề nghị đã quá hạn mà chưa giải quyết." in late


def test_receiving_a_request_for_another_communes_household_is_refused(personas, autumn, commune_a):
    response = post(
        personas.client("official_b"),
        "/households/requests/new/",
        {"code": "RV-04", "received_on": "2026-10-01", "asks": "enter", "reason": "Ốm nặng"},
        400,
    )
    assert "Không tìm thấy hộ mã &#x27;RV-04&#x27; đang cư trú trong phạm vi của bạn" in (
        response.content.decode()
    )
    assert not ReviewRequest.objects.exists()


def test_a_request_is_decided_with_a_survey(personas, autumn, commune_a):
    request = services.request_receive(
        household=commune_a["h4"], received_on=dt.date(2026, 9, 28), asks="enter", reason="Ốm"
    )
    client = personas.client("official_a")
    form = page(client, f"/households/requests/{request.pk}/")
    assert "Nghị định 07/2021/NĐ-CP" in form  # the lists in force are those of 2025
    post(
        client,
        f"/households/requests/{request.pk}/",
        {"outcome": "survey", "decided_on": "2026-10-01", **POOR},
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.DECIDED and request.decided_on == dt.date(2026, 10, 1)
    assert request.assessment is not None and request.assessment.year == 2025
    assert request.assessment.standing == "poor"
    shown = page(client, f"/households/requests/{request.pk}/")
    assert "Đã quyết định ngày 01/10/2026" in shown and 'id="decide-form"' not in shown
    assert "Quyết định theo kết quả rà soát" in shown  # timeline


def test_a_refusal_needs_reasons_and_nothing_changes_without_them(personas, autumn, commune_a):
    request = services.request_receive(
        household=commune_a["h4"], received_on=dt.date(2026, 9, 28), asks="enter", reason="Ốm"
    )
    client = personas.client("official_a")
    url = f"/households/requests/{request.pk}/"
    before = (Event.objects.count(), Assessment.objects.count())
    empty = post(client, url, {"outcome": "refuse", "decided_on": "2026-10-01"}, 400)
    assert "Không công nhận thì phải trả lời nêu rõ lý do." in empty.content.decode()
    no_income = post(client, url, {"outcome": "survey", "decided_on": "2026-10-01"}, 400)
    assert "Thu nhập bình quân đầu người/tháng (đồng): Trường này là bắt buộc." in (
        no_income.content.decode()
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert (Event.objects.count(), Assessment.objects.count()) == before
    post(
        client,
        url,
        {
            "outcome": "refuse",
            "decided_on": "2026-10-01",
            "answer": "Thu nhập của hộ vẫn trên chuẩn.",
        },
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED and request.assessment is None
    assert personas.client("official_b").get(url).status_code == 404
    assert personas.client("viewer_a").post(url, {"outcome": "refuse"}).status_code == 404
