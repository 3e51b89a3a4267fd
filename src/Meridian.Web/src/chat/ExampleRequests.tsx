export const EXAMPLES = [
  'We spend $12k a month on GPT-4; how do we halve that?',
  'Our p95 latency is 4.2 s on gpt-4o; we need it under 1.5 s. What can we change?',
  'Traffic will triple next quarter. What will our bill look like and how do we keep it flat?',
  'Which of our calls could prompt caching serve, and what would it save?',
];

/** Starting points on an empty thread; clicking one sends it. */
export function ExampleRequests({ onPick, disabled }: { onPick: (text: string) => void; disabled: boolean }) {
  return (
    <div className="examples">
      <p className="examples-intro">Ask Meridian how to cut the cost and latency of your LLM usage. For example:</p>
      <div role="group" aria-label="Example requests" className="example-list">
        {EXAMPLES.map((text) => (
          <button key={text} type="button" className="example" disabled={disabled} onClick={() => onPick(text)}>
            {text}
          </button>
        ))}
      </div>
    </div>
  );
}
