interface Props {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}

/** A labelled checkbox of the usage page's forms (the label follows the box and is its accessible name). */
export function Checkbox({ id, label, checked, onChange, disabled }: Props) {
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} disabled={disabled} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
