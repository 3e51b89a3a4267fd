namespace Meridian.Server.Workloads;

internal static class SyntheticProfiles
{
    private static readonly double[] BusinessHours =
        [0.5, 0.4, 0.3, 0.3, 0.3, 0.5, 1, 2, 4, 6, 7, 7, 6, 7, 7, 6.5, 6, 5, 4, 3, 2.5, 2, 1.5, 1];

    private static readonly double[] ConsumerHours =
        [2, 1.5, 1, 0.7, 0.6, 0.8, 1.5, 3, 4.5, 5.5, 6, 6.5, 7, 6.5, 6, 6, 6, 6.5, 7, 7.5, 7.5, 6.5, 5, 3.5];

    private static readonly double[] NightlyJobs =
        [8, 10, 10, 9, 7, 4, 1, 0.6, 0.6, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.6, 0.5, 0.5, 0.5, 0.5, 1, 4];

    public static readonly SyntheticProfile[] All =
    [
        new("chatbot", "Customer-support chat assistant: conversational turns with growing history, FAQ answers that repeat a lot, summaries and titles.",
            2000, 8, 0.015, ConsumerHours, [1.1, 1.1, 1.05, 1.05, 1.0, 0.85, 0.75],
            [
                new("support_chat", 0.60, [new("gpt-4o", 2, 0.6), new("gpt-4o-mini", 3, 0.4)], new(1500, 0.6, 150, 16_000), new(220, 0.5, 20, 1_500), 0.08, 300),
                new("faq_answer", 0.25, [new("gpt-4o-mini", 3, 1)], new(600, 0.35, 150, 4_000), new(150, 0.4, 20, 800), 0.55, 120),
                new("conversation_summary", 0.10, [new("gpt-4o", 2, 1)], new(3000, 0.5, 500, 30_000), new(180, 0.3, 40, 600), 0.02, 100),
                new("title_generation", 0.05, [new("gpt-4o-mini", 3, 1)], new(300, 0.3, 60, 2_000), new(12, 0.3, 4, 40), 0.10, 100),
            ]),
        new("rag", "Retrieval-augmented question answering over company documents: large retrieved contexts, query rewriting, answer checks.",
            1500, 5, 0.01, BusinessHours, [1.15, 1.2, 1.2, 1.15, 1.0, 0.35, 0.3],
            [
                new("doc_qa", 0.65, [new("gpt-4.1", 2, 0.5), new("claude-sonnet-4-5", 1, 0.3), new("gpt-4.1-mini", 3, 0.2)],
                    new(6000, 0.4, 1_000, 60_000), new(350, 0.5, 40, 2_000), 0.20, 400),
                new("query_rewrite", 0.25, [new("gpt-4.1-nano", 3, 0.7), new("gpt-4o-mini", 3, 0.3)], new(400, 0.3, 80, 2_000), new(60, 0.3, 10, 200), 0.25, 300),
                new("answer_check", 0.10, [new("gpt-4.1-mini", 3, 1)], new(2500, 0.4, 400, 20_000), new(40, 0.3, 5, 200), 0.05, 100),
            ]),
        new("batch_summarisation", "Nightly summarisation of documents and tickets: long inputs, calls in bursts after midnight UTC, no user waiting.",
            600, 3, 0.02, NightlyJobs, [1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.8],
            [
                new("document_summary", 0.60, [new("claude-sonnet-4-5", 1, 0.5), new("gpt-4.1", 2, 0.3), new("gemini-2.5-flash", 2, 0.2)],
                    new(12_000, 0.6, 2_000, 150_000), new(600, 0.4, 100, 3_000), 0.06, 500),
                new("ticket_digest", 0.30, [new("gpt-4o-mini", 3, 0.6), new("claude-haiku-4-5", 2, 0.4)], new(4000, 0.5, 500, 40_000), new(300, 0.4, 50, 1_200), 0.10, 200),
                new("nightly_report", 0.10, [new("gpt-4.1", 2, 1)], new(20_000, 0.4, 5_000, 120_000), new(1200, 0.3, 300, 4_000), 0.0, 1),
            ]),
        new("agentic", "Agent with tool use: a planner, many tool-calling steps with a growing context, a final answer; long tails and more errors.",
            1500, 15, 0.03, BusinessHours, [1.1, 1.1, 1.1, 1.05, 1.0, 0.55, 0.5],
            [
                new("agent_planning", 0.25, [new("gpt-5", 1, 0.5), new("claude-sonnet-4-5", 1, 0.5)], new(5000, 0.5, 800, 40_000), new(600, 0.6, 50, 4_000), 0.03, 200),
                new("tool_call", 0.60, [new("gpt-4.1-mini", 3, 0.6), new("claude-haiku-4-5", 2, 0.4)], new(7000, 0.6, 500, 120_000), new(150, 0.5, 10, 1_000), 0.12, 400),
                new("final_answer", 0.15, [new("claude-sonnet-4-5", 1, 0.6), new("gpt-5", 1, 0.4)], new(9000, 0.5, 1_000, 120_000), new(500, 0.4, 60, 3_000), 0.02, 100),
            ]),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["batch_summarization"] = "batch_summarisation",
        ["batch"] = "batch_summarisation",
        ["agentic_tool_use"] = "agentic",
        ["agent"] = "agentic",
        ["chat"] = "chatbot",
    };

    public static SyntheticProfile? Find(string? name)
    {
        var key = name?.Trim() ?? "";
        key = Aliases.GetValueOrDefault(key, key);
        return All.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));
    }
}
