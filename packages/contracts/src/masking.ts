/**
 * Masks a phone number for everyone but the assigned helper and staff:
 * 13812341234 → 138****1234. Short or odd numbers are masked whole rather than leaked.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone == null || phone === '') return null;
  const digits = phone.trim();
  if (digits.length < 8) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** Masks a person's name to its family name: 王秀兰 → 王**. */
export function maskName(name: string | null | undefined): string | null {
  if (name == null || name === '') return null;
  const chars = Array.from(name.trim());
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}
