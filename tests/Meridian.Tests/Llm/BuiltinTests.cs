using Meridian.Server.Llm;
using Meridian.Server.Runs;

namespace Meridian.Tests.Llm;

/// <summary>The default engine: offline, deterministic, free, and streamed like a model's answer.</summary>
public sealed class BuiltinTests
{
    [Fact]
    public async Task By_default_the_builtin_engine_streams_exactly_the_builtin_text_in_pieces_with_zero_usage()
    {
        await using var kit = LlmHarness.Create(new Dictionary<string, string?>());

        var first = await kit.WriteAsync();
        var second = await kit.WriteAsync();

        first.Answer.ShouldBe(new LlmAnswer(LlmHarness.Request.BuiltinText, "builtin", false, null, RunUsage.None));
        first.ShouldBeWhatWasStreamed();
        first.Deltas.Count.ShouldBeGreaterThan(3, "the text streams in small pieces");
        first.Deltas.ShouldAllBe(d => d.Length > 0 && d.Length <= 120);
        second.Deltas.ShouldBe(first.Deltas, "the built-in engine is deterministic");
        kit.Model.Engine.ShouldBe("builtin");
    }

    [Theory]
    [InlineData("")]
    [InlineData("one")]
    [InlineData("\n\n\n")]
    [InlineData("a line\nand a very long line that goes on and on well past the piece length of the engine, with more words after it")]
    public void Pieces_concatenate_to_the_text(string text)
    {
        var pieces = BuiltinChatClient.Pieces(text).ToList();

        string.Concat(pieces).ShouldBe(text);
        pieces.ShouldAllBe(p => p.Length > 0);
    }

    [Fact]
    public async Task Cancelling_stops_the_builtin_engine_too()
    {
        await using var kit = LlmHarness.Create(new Dictionary<string, string?>());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => kit.WriteAsync(cancellationToken: cancelled.Token));
    }
}
