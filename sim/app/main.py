"""The scenario explorer page (``enforcement-sim app`` serves it with Streamlit).

A thin layer: the levers become a comparison in ``session``, uploads are checked in
``uploads``, the run and everything shown come from ``run`` (the report's own tables,
findings and figures). Streamlit reruns this script top to bottom on every interaction; a
click while a comparison runs stops it, which is how a run is cancelled. Everything the
session writes goes to its own temporary folder, removed when the session ends.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from sim.app import keys as K
from sim.app import run as R
from sim.app import session as S
from sim.app import uploads as U
from sim.errors import ScenarioError
from sim.scenario import LoadedScenario

UPLOADED = "uploaded"
SLOTS: dict[str, Any] = {}  # county -> the place under its levers for an error about it
FIGURES = {
    "paired_differences": "Each change from the starting scenario, with its 95% interval",
    "response_ecdf": "Share of reports with a legal team on site within x hours",
    "township_map": "Townships by mean response time (chosen counties)",
}


def session_folder() -> Path:
    if "_folder" not in st.session_state:
        st.session_state["_folder"] = S.SessionFolder()
    return st.session_state["_folder"].path


def starting_scenario(folder: Path) -> tuple[str, LoadedScenario]:
    """The bundled choice, or an uploaded scenario (which wins while it is uploaded);
    a bad upload stops the page with the one-line error under the upload fields."""
    label = st.selectbox("Starting scenario", list(S.BUNDLED), key=K.SCENARIO)
    left, right = st.columns(2)
    yaml_file = left.file_uploader(
        "…or upload a scenario YAML", type=["yaml", "yml"], key=K.UPLOAD_YAML
    )
    csv_file = right.file_uploader("…and its region CSV", type=["csv"], key=K.UPLOAD_CSV)
    st.caption(f"Uploads: at most {U.MAX_UPLOAD_BYTES // 1_000_000} MB each, one whole scenario.")
    if yaml_file is None:
        return label, S.load_bundled(label)
    try:
        loaded = U.load_upload(
            folder / "upload",
            yaml_file.name,
            yaml_file.getvalue(),
            csv_file.name if csv_file is not None else None,
            csv_file.getvalue() if csv_file is not None else None,
        )
    except ScenarioError as err:
        st.error(str(err))
        st.stop()
    return f"{UPLOADED}:{yaml_file.file_id}", loaded


def reset_levers_if_new(identity: str) -> None:
    """Levers keep their values across reruns; a new starting scenario starts them afresh
    (and clears the results of the old one)."""
    if st.session_state.get("_identity") == identity:
        return
    lever_keys = (
        K.COUNTIES,
        K.SHORTFALL,
        K.SENSOR_COVERAGE,
        K.REWARD_MULTIPLIER,
        K.FULLTIME_GRID,
        K.SEED,
    )
    for key in list(st.session_state):
        if key in lever_keys or str(key).startswith(("model_", "officers_", "rota_")):
            del st.session_state[key]
    st.session_state.pop("_shown", None)  # results of another starting scenario
    st.session_state["_identity"] = identity


def county_levers(loaded: LoadedScenario) -> dict[str, S.CountyLevers]:
    names = list(loaded.scenario.counties)
    chosen = st.multiselect(
        "Counties to change (the others stay as they are)",
        names,
        default=names[:1] if len(names) == 1 else [],
        key=K.COUNTIES,
    )
    out = {}
    for county in chosen:
        start = S.starting_county(loaded, county)
        rotas = list(S.ROTAS) + ([S.AS_IS] if start.rota == S.AS_IS else [])
        st.markdown(f"**{county}**")
        a, b, c = st.columns([2, 1, 3])
        model = a.selectbox(
            "Deployment model", S.MODELS, index=S.MODELS.index(start.model), key=K.model_key(county)
        )
        officers = b.number_input(
            "Head count",
            min_value=1,
            max_value=max(1000, start.officers),
            step=1,
            value=max(start.officers, 1),
            key=K.officers_key(county),
        )
        rota = c.selectbox(
            "Duty rota",
            rotas,
            index=rotas.index(start.rota),
            format_func=S.ROTA_LABELS.__getitem__,
            key=K.rota_key(county),
        )
        out[county] = S.CountyLevers(model, int(officers), rota)
        SLOTS[county] = st.empty()  # a run's error about this county shows here
    return out


def levers(loaded: LoadedScenario) -> S.Levers:
    start = S.starting_levers(loaded)
    counties = county_levers(loaded)
    st.markdown("**Across the region**")
    a, b, c = st.columns(3)
    shortfall = a.selectbox(
        "Shortfall policy (no legal team free)",
        S.SHORTFALLS,
        index=S.SHORTFALLS.index(start.shortfall),
        key=K.SHORTFALL,
    )
    coverage = b.slider(
        "Sensor coverage (share of townships)",
        0.0,
        1.0,
        step=0.05,
        value=start.sensor_coverage,
        key=K.SENSOR_COVERAGE,
    )
    reward = c.number_input(
        "Reward multiplier of citizen reports",
        0.0,
        max(10.0, start.reward_multiplier),
        step=0.25,
        value=start.reward_multiplier,
        key=K.REWARD_MULTIPLIER,
    )
    fulltime = st.checkbox(
        "Full-time grid officers (all their time on environmental work)",
        value=start.fulltime_grid,
        key=K.FULLTIME_GRID,
    )
    a, b = st.columns(2)
    reps = a.number_input("Replications", 2, 200, value=10, step=1, key=K.REPLICATIONS)
    seed = b.number_input("Seed", 0, max(2**31 - 1, start.seed), value=start.seed, key=K.SEED)
    return S.Levers(
        shortfall, float(coverage), float(reward), bool(fulltime), counties, int(reps), int(seed)
    )


def run(folder: Path, loaded: LoadedScenario, chosen: S.Levers) -> None:
    """Write the plan, run it with a progress bar, keep what the page shows."""
    try:
        files = S.write_plan(folder / "plan", loaded, chosen)
    except ScenarioError as err:
        error_at_field(err, folder / "plan")
        return
    cancel = st.empty()
    cancel.button("Cancel", key=K.CANCEL)  # any click reruns the page, which stops the run
    bar = st.progress(0.0, text="Starting the runs…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"{done} of {total} runs")

    out = folder / "results"
    try:
        results = R.run_comparison(files.compare, out, progress=progress)
    except ScenarioError as err:
        bar.empty()
        cancel.empty()
        error_at_field(err, folder / "plan")
        return
    bar.empty()
    cancel.empty()
    st.session_state["_shown"] = {
        "results": results,
        "out": out,
        "files": files,
        "counties": list(chosen.counties),
        "made": {},  # figures and zips, drawn on first show, kept for reruns
        "number": st.session_state.get("_runs", 0) + 1,
    }
    st.session_state["_runs"] = st.session_state["_shown"]["number"]


def made(shown: dict[str, Any], name: str, make: Callable[[], Any]) -> Any:
    """``make()`` once per run: the page shows each piece as soon as it is ready."""
    if name not in shown["made"]:
        shown["made"][name] = make()
    return shown["made"][name]


def figure_png(shown: dict[str, Any], name: str) -> bytes | None:
    res, out, counties = shown["results"], shown["out"], shown["counties"]
    return made(shown, name, lambda: R.figure_png(res, out, counties, name))


def figure(shown: dict[str, Any], name: str) -> None:
    png = figure_png(shown, name)
    if png is not None:
        with st.container(key=K.FIGURE.format(name=name)):
            st.image(png, caption=FIGURES[name])


def error_at_field(err: ScenarioError, plan: Path) -> None:
    """The CLI's one line, naming the compare file as downloaded (not the session's
    folder), under the levers of the county it is about, else here."""
    text = str(err).replace(f"{plan}/", "")
    county = next((c for c in str(err.path).split(".") if c in SLOTS), None)
    (SLOTS[county] if county else st).error(text)


def show(shown: dict[str, Any]) -> None:
    """The last run's results; figures and zips are drawn once, as they are reached."""
    res, files = shown["results"], shown["files"]
    d = made(shown, "difference", lambda: R.difference(res))
    figure_png(shown, "paired_differences")  # drawn first: the answer and its figure together
    st.subheader("Edited minus starting, on the same incidents")
    st.metric(
        f"{K.MEAN_RESPONSE}: edited minus starting",
        f"{d['mean']:+.2f} h",
        help="Paired difference over replications; the 95% interval is below.",
    )
    st.caption(
        f"95% interval {d['low']:+.2f} h to {d['high']:+.2f} h; an interval that "
        "crosses zero means no clear difference."
    )
    failures = len(res.manifest.get("failures") or [])
    if failures:
        st.warning(f"{failures} run(s) failed; the results folder's manifest says why.")
    figure(shown, "paired_differences")
    st.html(made(shown, "findings", lambda: R.findings_html(res)))
    st.markdown("**Headline indicators** (mean and 95% interval)")
    st.table(made(shown, "table", lambda: R.headline_table(res)).set_index("indicator"))
    figure(shown, "response_ecdf")
    figure(shown, "township_map")
    a, b, c = st.columns(3)
    a.download_button(
        "Edited scenario (YAML)",
        files.edited.read_bytes(),
        "edited.yaml",
        "application/x-yaml",
        key="download_edited",
    )
    b.download_button(
        "Compare file with both scenarios (zip)",
        made(shown, "plan_zip", lambda: R.plan_zip(files)),
        "explorer-plan.zip",
        "application/zip",
        key="download_plan",
    )
    c.download_button(
        "Results folder (zip)",
        made(shown, "zip", lambda: R.zipped(shown["out"])),
        "explorer-results.zip",
        "application/zip",
        key="download_results",
    )
    st.caption(
        "To rerun: unzip the compare file and run `enforcement-sim compare "
        "explorer/compare.yaml`, or `enforcement-sim run explorer/edited.yaml` (the "
        "edited scenario reads townships.csv beside it)."
    )
    with st.container(key=K.DONE):
        st.caption(f"Run {shown['number']} complete.")


def main() -> None:
    st.set_page_config(page_title="enforcement-sim explorer", layout="wide")
    st.title("Scenario explorer")
    st.caption(
        "Change the deployment, run, and see each change from the starting scenario "
        "on the same incidents (common random numbers)."
    )
    folder = session_folder()
    SLOTS.clear()
    identity, loaded = starting_scenario(folder)
    reset_levers_if_new(identity)
    chosen = levers(loaded)
    st.caption(
        "A run can be cancelled: press Cancel (or change any setting, or Stop at the "
        "top right) and Streamlit stops it at once."
    )
    if st.button("Run", key=K.RUN, type="primary"):
        run(folder, loaded, chosen)
    elif st.session_state.get(K.CANCEL):
        st.info("Run cancelled.")
    if "_shown" in st.session_state:
        show(st.session_state["_shown"])


if __name__ == "__main__":  # `streamlit run` and AppTest run the page as __main__
    main()
