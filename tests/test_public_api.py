from __future__ import annotations

import gscontract


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in vars(gscontract) if not name.startswith("_")} - {"annotations"}
    modules = {name for name in public if type(getattr(gscontract, name)).__name__ == "module"}
    assert set(gscontract.__all__) - {"__version__"} == public - modules
    assert len(gscontract.__all__) == len(set(gscontract.__all__))
