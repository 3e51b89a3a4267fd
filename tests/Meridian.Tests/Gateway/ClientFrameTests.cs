using System.Text.Json;
using Meridian.Server.Gateway;

namespace Meridian.Tests.Gateway;

/// <summary>A client frame is read once into the fields its type uses (docs/protocol.md#3-frames): aliases, the
/// places a message's text, agent and thread may be put, and a type the protocol does not know.</summary>
public sealed class ClientFrameTests
{
    [Theory]
    [InlineData("user_message")]
    [InlineData("message")]
    [InlineData("chat_message")]
    [InlineData("chat")]
    [InlineData("start_agent")]
    [InlineData("execute_agent")]
    public void Every_alias_of_user_message_is_a_UserMessage_counted_under_its_own_name(string type)
    {
        var frame = Parse($$"""{"type":"{{type}}","id":7,"text":"hi"}""");

        var message = frame.ShouldBeOfType<ClientFrame.UserMessage>();
        message.Text.ShouldBe("hi");
        message.Id!.Value.GetInt32().ShouldBe(7);
        frame.MetricsLabel.ShouldBe(type);
    }

    [Fact]
    public void Text_agent_and_thread_come_from_the_payload_when_the_top_level_has_none_and_the_top_level_wins()
    {
        var fromPayload = Parse("""{"type":"chat","payload":{"user_request":"why","agent_type":"data","thread_id":"t_p"}}""").ShouldBeOfType<ClientFrame.UserMessage>();
        var topWins = Parse("""{"type":"chat","content":"top","thread_id":"t_top","payload":{"content":"inner","thread_id":"t_p"}}""").ShouldBeOfType<ClientFrame.UserMessage>();

        (fromPayload.Text, fromPayload.Agent, fromPayload.ThreadId, fromPayload.ThreadIdNotText).ShouldBe(("why", "data", "t_p", false));
        (topWins.Text, topWins.ThreadId).ShouldBe(("top", "t_top"));
    }

    [Theory]
    [InlineData("""{"type":"user_message","content":"x","thread_id":5}""")]
    [InlineData("""{"type":"user_message","content":"x","payload":{"thread_id":true}}""")]
    [InlineData("""{"type":"user_message","content":"x","thread_id":"t_ok","payload":{"thread_id":[1]}}""")]
    public void A_thread_id_that_is_not_a_string_is_marked_and_never_read_as_no_thread(string json)
    {
        var message = Parse(json).ShouldBeOfType<ClientFrame.UserMessage>();

        message.ThreadIdNotText.ShouldBeTrue();
        message.ThreadId.ShouldBeNull();
    }

    [Fact]
    public void Resume_history_and_unknown_frames_read_their_fields_leniently()
    {
        var resume = Parse("""{"type":"resume","run_id":"run_1","after_seq":"6"}""").ShouldBeOfType<ClientFrame.Resume>();
        var history = Parse("""{"type":"get_thread_history","limit":1.5}""").ShouldBeOfType<ClientFrame.GetThreadHistory>();
        var unknown = Parse("""{"type":"made_up"}""");

        (resume.RunId, resume.AfterSeq).ShouldBe(("run_1", 0L), "an after_seq that is not a number means from the start");
        history.Limit.ShouldBeNull("a limit that is not a whole number means the default");
        unknown.ShouldBeOfType<ClientFrame.Unknown>().Type.ShouldBe("made_up");
        unknown.MetricsLabel.ShouldBe("unknown", "metrics never take a label from the client");
    }

    private static ClientFrame Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        JsonElement? id = root.TryGetProperty("id", out var i) ? i.Clone() : null;
        return ClientFrame.Parse(root, root.GetProperty("type").GetString()!, id);
    }
}
