"""Issue 13, item 6: the app is an MCP server. An AI tutor lists the named endpoints as tools over MCP's
streamable HTTP transport (on loopback here, as a client on a Space would over https), reads each handler's
docstring as the tool's description, and calls them."""
from __future__ import annotations

import ast
import asyncio
import inspect
from concurrent.futures import ThreadPoolExecutor

import mcp  # requirements.txt installs gradio[mcp]
import pytest
from mcp.client.streamable_http import streamablehttp_client

from lab import inspect as li
from lab.scaling import efficientnet_cost
from lab.ui import architecture, scaling, serving

# The tools the issue names, and the newer views that have endpoints.
EXPECTED = {"summarize", "scale", "cam", "feature_maps", "lineage", "train", "conv_cost", "batch_norm_walk",
            "mlp_vs_cnn", "compare_blocks", "degradation", "submission", "activations", "compare_runs", "ab",
            "attention", "code", "lesson_link"}


def _session(app_url: str, work):
    async def go():
        async with streamablehttp_client(app_url.rstrip("/") + "/gradio_api/mcp/") as (read, write, _):
            async with mcp.ClientSession(read, write) as session:
                await session.initialize()
                return await work(session)
    with ThreadPoolExecutor(1) as pool:  # its own thread: Playwright's sync API may hold this one's loop
        return pool.submit(lambda: asyncio.run(go())).result(timeout=120)


@pytest.fixture(scope="module")
def tools(app_url):
    async def work(session):
        return (await session.list_tools()).tools
    return {t.name: t for t in _session(app_url, work)}


def test_the_named_endpoints_are_tools_named_after_them(tools):
    assert EXPECTED <= set(tools), sorted(EXPECTED - set(tools))
    assert not [n for n in tools if n.startswith(("_", "api_"))], sorted(tools)  # no helper's or wrapper's name


def test_each_tool_is_described_by_its_handlers_docstring(tools):
    assert all(t.description and len(t.description) > 20 for t in tools.values()), \
        [n for n, t in tools.items() if not t.description]
    first = inspect.getdoc(architecture.api_summarize).split("\n")[0]
    assert tools["summarize"].description.startswith(first.split("``")[0])
    assert set(tools["summarize"].inputSchema["properties"]) == {"model", "resolution"}
    assert {"width_mult", "depth_mult", "resolution"} <= set(tools["scale"].inputSchema["properties"])


def _call(app_url, name, arguments):
    async def work(session):
        return await session.call_tool(name, arguments)
    result = _session(app_url, work)
    assert not result.isError, result.content
    return [c.text for c in result.content if c.type == "text"]


def test_a_tutor_calls_summarize_and_gets_the_real_counts(app_url):
    (text,) = _call(app_url, "summarize", {"model": "resnet18", "resolution": 224})
    table, totals = ast.literal_eval(text)  # the endpoint's two outputs, as one list
    expected = li.summarize("resnet18", (3, 224, 224))
    assert totals["total_params"] == expected.total_params == 11_689_512
    assert totals["total_macs"] == expected.total_macs
    rows = {row[1]: row for row in table["data"]}
    assert rows["conv1"][table["headers"].index("Params")] == "9,408"
    assert rows["fc"][table["headers"].index("Output C×H×W")] == "1000"


def test_a_tutor_calls_scale_and_gets_efficientnet_b3s_cost(app_url):
    (text,) = _call(app_url, "scale", {"width_mult": 1.2, "depth_mult": 1.4, "resolution": 300})
    got = ast.literal_eval(text)
    want = scaling.scale(1.2, 1.4, 300)
    assert got["params"] == want["params"] == efficientnet_cost(1.2, 1.4, 300).params == 12_233_232  # timm's B3
    assert got["macs"] == want["macs"]


def test_a_tutors_mistake_is_the_labs_sentence(app_url):
    async def work(session):
        return await session.call_tool("summarize", {"model": "resnet999", "resolution": 224})
    result = _session(app_url, work)
    text = " ".join(c.text for c in result.content if c.type == "text")
    assert result.isError and "Traceback" not in text and "resnet999" in text, text


def test_without_the_mcp_extra_the_app_serves_its_pages_and_says_why(monkeypatch):
    monkeypatch.setattr(serving.importlib.util, "find_spec", lambda name: None)
    assert serving.mcp_server() is False
    monkeypatch.undo()
    assert serving.mcp_server() is True
    monkeypatch.setenv("CNNLAB_MCP", "0")
    assert serving.mcp_server() is False
