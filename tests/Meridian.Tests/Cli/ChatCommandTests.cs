using Meridian.Client;
using Meridian.Tests.Validation;

namespace Meridian.Tests.Cli;

/// <summary><c>meridian chat</c> as a process with its input redirected: lines in, the runs' live events and streamed
/// answers out.</summary>
public sealed class ChatCommandTests(ValidationHarness fixture) : IClassFixture<ValidationHarness>
{
    [Fact]
    public async Task Two_lines_give_two_runs_in_one_thread_whose_answers_are_printed_and_quit_ends_the_chat()
    {
        var email = $"chat-{Guid.NewGuid():N}@example.com";

        var run = await CliProcess.RunWithInputAsync(
            "How do we halve our GPT-4 bill?\n\nAnd what about latency?\n/quit\nThis line comes after /quit\n",
            "chat", "--target", fixture.Target.ToString(), "--e2e-key", ValidationHarness.BypassKey, "--email", email);

        run.ExitCode.ShouldBe(0, run.ToString());
        using var client = new MeridianClient(fixture.Target);
        var ct = TestContext.Current.CancellationToken;
        await client.TestAuthAsync(ValidationHarness.BypassKey, email, ct: ct);
        var thread = (await client.ThreadsAsync(ct: ct)).Threads.ShouldHaveSingleItem();
        var messages = (await client.MessagesAsync(thread.Id, ct: ct)).Messages;
        messages.Where(m => m.Role == "user").Select(m => m.Content).ShouldBe(["How do we halve our GPT-4 bill?", "And what about latency?"]);
        var answers = messages.Where(m => m.Role == "assistant").ToList();
        answers.Count.ShouldBe(2);
        foreach (var answer in answers)
        {
            // The streamed deltas, printed as they came, make up the stored answer line for line.
            foreach (var line in answer.Content.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                run.Output.ShouldContain(line);
            }

            run.Output.ShouldContain($"run {answer.RunId}");
        }

        run.Output.Split('\n').Count(l => l.StartsWith("✔ completed", StringComparison.Ordinal)).ShouldBe(2, run.ToString());
        run.Output.ShouldContain("• triage started");
    }

    [Fact]
    public async Task A_refused_message_exits_1_and_missing_credentials_exit_2()
    {
        var refused = await CliProcess.RunWithInputAsync(
            "hello\n", "chat", "--target", fixture.Target.ToString(), "--e2e-key", ValidationHarness.BypassKey, "--thread", "not a thread id");

        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Output.ShouldContain("refused: INVALID_THREAD_ID");
        (await CliProcess.RunWithInputAsync("hello\n", "chat", "--target", fixture.Target.ToString())).ExitCode.ShouldBe(2);
    }
}
