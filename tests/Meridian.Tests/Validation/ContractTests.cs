using System.Text.Json.Nodes;
using Meridian.Client;
using Meridian.Client.Events;
using Meridian.Tests.Gateway;
using Meridian.Validation.Checks;
using Meridian.Validation.Contract;

namespace Meridian.Tests.Validation;

/// <summary>The run contract and the welcome contract, over a valid run and the ways runs and welcomes break.</summary>
public sealed class ContractTests
{
    private const string Run = "run_1";
    private const string Thread = "thread_1";

    private static List<JsonObject> Valid() => Renumber(
    [
        Event("agent_started", new() { ["message"] = "Working", ["agents"] = new JsonArray("triage", "reporting") }),
        Event("subagent_started", new() { ["agent_name"] = "triage", ["message"] = "Reading" }),
        Event("tool_executing", new() { ["agent_name"] = "triage", ["tool_name"] = "usage_query", ["call_id"] = "call_1", ["parameters"] = new JsonObject() }),
        Event("tool_completed", new() { ["agent_name"] = "triage", ["tool_name"] = "usage_query", ["call_id"] = "call_1", ["status"] = "success", ["result"] = "ok", ["duration_ms"] = 3 }),
        Event("subagent_completed", new() { ["agent_name"] = "triage", ["status"] = "completed", ["summary"] = "ok", ["duration_ms"] = 5 }),
        Event("agent_response_delta", new() { ["delta"] = "# Report" }),
        Event("agent_completed", new() { ["response"] = "# Report", ["result"] = new JsonObject(), ["usage"] = new JsonObject(), ["duration_ms"] = 9 }),
    ]);

    [Fact]
    public void A_valid_run_has_no_violation() => Verify(Valid()).ShouldBeEmpty();

    [Fact]
    public void A_gap_in_seq_is_a_seq_violation()
    {
        var events = Valid();
        events[3]["seq"] = 6;
        events[4]["seq"] = 7;
        events[5]["seq"] = 8;
        events[6]["seq"] = 9;

        Verify(events).ShouldContain(new Violation(DiagnosisKind.SeqViolation, "seq 6 (tool_completed) where 4 was expected: 2 event(s) missing"));
    }

    [Fact]
    public void A_duplicate_and_a_reordering_are_seq_violations()
    {
        var duplicated = Valid();
        duplicated.Insert(3, duplicated[2].DeepClone().AsObject());
        Verify(duplicated).ShouldContain(new Violation(DiagnosisKind.SeqViolation, "seq 3 delivered twice (tool_executing)"));

        var swapped = Valid();
        (swapped[3], swapped[4]) = (swapped[4], swapped[3]);
        Verify(swapped).ShouldContain(new Violation(DiagnosisKind.SeqViolation, "seq 4 (tool_completed) after seq 5: out of order"));
    }

    [Fact]
    public void A_run_without_its_terminal_event_or_with_events_after_it_is_an_order_violation()
    {
        Verify(Valid()[..^1]).ShouldContain(new Violation(DiagnosisKind.OrderViolation,
            "no terminal event (agent_completed, agent_failed or agent_stopped); last was agent_response_delta (seq 6)"));

        var late = Valid();
        late.Add(Event("agent_thinking", new() { ["reasoning"] = "late" }, seq: 8));
        Verify(late).ShouldContain(new Violation(DiagnosisKind.OrderViolation, "events after the terminal agent_completed: agent_thinking (seq 8)"));

        var headless = Valid()[1..];
        Verify(headless).ShouldContain(v => v.Kind == DiagnosisKind.OrderViolation && v.Message.StartsWith("the first event is subagent_started"));
    }

    [Fact]
    public void An_open_tool_call_or_stage_is_a_pairing_violation()
    {
        var events = Valid();
        events.RemoveAt(3);
        Renumber(events);
        Verify(events).ShouldContain(new Violation(DiagnosisKind.PairingViolation, "tool_executing usage_query call_id call_1 (seq 3) never completed"));

        var stage = Valid();
        stage.RemoveAt(4);
        Renumber(stage);
        Verify(stage).ShouldContain(new Violation(DiagnosisKind.PairingViolation, "subagent_started triage never completed (1 open)"));
    }

    [Fact]
    public void Envelope_faults_are_contract_violations()
    {
        var events = Valid();
        events[1]["run_id"] = "run_other";
        events[2]["timestamp"] = "2026-11-21T10:00:00Z";
        events[3]["status"] = "ok";

        var violations = Verify(events);

        violations.ShouldContain(new Violation(DiagnosisKind.ContractViolation, "seq 2 (subagent_started): run_id 'run_other' where 'run_1' was expected"));
        violations.ShouldContain(v => v.Message.StartsWith("seq 3 (tool_executing): timestamp"));
        violations.ShouldContain(v => v.Message.StartsWith("seq 4 (tool_completed): call_id and a status of success|error"));
    }

    [Fact]
    public void The_longest_silence_is_read_from_the_server_timestamps()
    {
        var events = Valid();
        events[5]["timestamp"] = "2026-11-21T10:00:03.500Z";
        events[6]["timestamp"] = "2026-11-21T10:00:03.600Z";

        var (gap, after) = RunContract.LongestSilence(Parse(events))!.Value;

        gap.ShouldBe(TimeSpan.FromMilliseconds(3500));
        after!.Type.ShouldBe("subagent_completed");
    }

    [Fact]
    public async Task A_real_welcome_matches_the_contract_and_other_shapes_give_a_diff()
    {
        await using var server = await GatewayHarness.StartAsync();
        using var client = new MeridianClient(server.BaseAddress, GatewayHarness.Token("user_welcome"));
        await using var socket = await client.ConnectAsync(ct: TestContext.Current.CancellationToken);
        var welcome = socket.Welcome!.Raw;

        WelcomeContract.Diff(welcome, "user_welcome").ShouldBeEmpty();
        WelcomeContract.Diff(welcome, "someone_else").ShouldBe(["- data.user_id: \"someone_else\" (the token's sub)", "+ data.user_id: \"user_welcome\""]);

        // What an earlier system sent: an extra field is fine, a missing version and a timestamp without milliseconds are not.
        var older = JsonNode.Parse(welcome.GetRawText())!.AsObject();
        var data = older["data"]!.AsObject();
        data.Remove("protocol_version");
        data["server_time"] = "2025-09-08T20:26:57.648399+00:00";
        data["factory_pattern_enabled"] = true;
        var diff = WelcomeContract.Diff(Json.Parse(older.ToJsonString()), "user_welcome");
        diff.Count.ShouldBe(4);
        diff[0].ShouldBe("- data.server_time: an ISO-8601 UTC timestamp with milliseconds");
        diff[1].ShouldStartWith("+ data.server_time: \"2025-09-08T20:26:57.648399");
        diff.Skip(2).ShouldBe(["- data.protocol_version: 1", "+ data.protocol_version: (missing)"]);
    }

    private static JsonObject Event(string type, JsonObject fields, int? seq = null)
    {
        var e = new JsonObject { ["type"] = type, ["timestamp"] = "2026-11-21T10:00:00.000Z", ["run_id"] = Run, ["thread_id"] = Thread, ["seq"] = seq ?? 0 };
        foreach (var (name, value) in fields)
        {
            e[name] = value?.DeepClone();
        }

        return e;
    }

    private static List<JsonObject> Renumber(List<JsonObject> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            events[i]["seq"] = i + 1;
        }

        return events;
    }

    private static List<RunEvent> Parse(List<JsonObject> events) =>
        events.Select(e => FrameParser.ParseEvent(Json.Parse(e.ToJsonString()), DateTimeOffset.UtcNow)).ToList();

    private static IReadOnlyList<Violation> Verify(List<JsonObject> events) => RunContract.Verify(Parse(events), Run, Thread);
}
