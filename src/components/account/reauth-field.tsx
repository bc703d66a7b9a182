import { Field } from "@/components/ui/field";

/** Proof it is really you before something drastic: the password, or a 2FA code when 2FA is on. */
export function ReauthField({ idPrefix, twoFactor, errors }: { idPrefix: string; twoFactor: boolean; errors?: { password?: string[]; code?: string[] } }) {
  return twoFactor ? (
    <Field label="Authentication or recovery code" name="code" id={`${idPrefix}-code`} autoComplete="one-time-code" errors={errors?.code} />
  ) : (
    <Field label="Your password" name="password" id={`${idPrefix}-password`} type="password" autoComplete="current-password" errors={errors?.password} />
  );
}
