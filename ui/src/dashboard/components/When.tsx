// Instants shown as officials read them, in Vietnam time.
import { formatVietnamDateTime } from '../tracing';

/** An instant as "24/11/2021 08:30" in Vietnam time; a narrow column breaks it between the date and the time. */
export function When({ at }: { at: string }) {
  const text = formatVietnamDateTime(at);
  const i = text.indexOf(' ');
  if (i < 0) return <>{text}</>;
  return (
    <>
      <span class="nowrap">{text.slice(0, i)}</span> <span class="nowrap">{text.slice(i + 1)}</span>
    </>
  );
}
