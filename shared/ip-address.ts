// IPv4 and IPv6 address text, checked without zod: the simulator's farm loader thread checks
// addresses too, and loading zod there cost a fifth of every wtsc start.
const IPV4_OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Dotted-quad IPv4: four decimal octets, no leading zeros. */
export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => IPV4_OCTET.test(p));
}

/** IPv6 in any of its text forms, with an IPv4 tail allowed. */
export function isIPv6(text: string): boolean {
  if (text.length < 2 || text.length > 45) return false;
  let groups = text;
  let groupBudget = 8;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    if (!isIPv4(text.slice(lastColon + 1))) return false;
    groups = text.slice(0, lastColon + 1) + '0';
    groupBudget = 7;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return false;
  const hex = /^[0-9A-Fa-f]{1,4}$/;
  const count = (half: string): number | null => {
    if (half === '') return 0;
    const parts = half.split(':');
    return parts.every((p) => hex.test(p)) ? parts.length : null;
  };
  if (halves.length === 1) return count(halves[0] ?? '') === groupBudget;
  const left = count(halves[0] ?? '');
  const right = count(halves[1] ?? '');
  return left !== null && right !== null && left + right < groupBudget;
}
