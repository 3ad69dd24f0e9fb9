from gandan.core.text import fold, fold_key


def test_fold_removes_diacritics_case_and_extra_spaces():
    assert fold("Phường  Thuận Hóa") == "phuong thuan hoa"
    assert fold("ĐẶC KHU Côn Đảo") == "dac khu con dao"
    assert fold("Thuận Hoá") == fold("Thuận Hóa")  # old and new tone placement
    assert fold("Thuận Hóa") == fold("Thua\u0323\u0302n Ho\u0301a")  # composed and decomposed


def test_fold_key_drops_spaces_and_punctuation():
    assert fold_key("Xã Cẩm Giàng") == "xacamgiang"
    assert fold_key("Phường Văn Miếu - Quốc Tử Giám") == "phuongvanmieuquoctugiam"
