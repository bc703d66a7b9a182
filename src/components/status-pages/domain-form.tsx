"use client";
import { useActionState } from "react";
import { setCustomDomainAction } from "@/web/actions/status-pages";
import { Field, FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/web/action";

export function DomainForm({ pageId, domain }: { pageId: string; domain: string | null }) {
  const [state, action] = useActionState<FormState, FormData>(setCustomDomainAction, {});
  return (
    <form action={action} className="form" noValidate>
      <input type="hidden" name="pageId" value={pageId} />
      <FormMessage message={state.message} ok={state.ok} />
      <Field
        label="Custom domain"
        name="customDomain"
        defaultValue={state.values?.customDomain ?? domain ?? ""}
        errors={state.fields?.customDomain}
        placeholder="status.example.com"
        hint="Point it (CNAME) at this Perigee install; leave empty to remove it"
        autoCapitalize="none"
        spellCheck={false}
      />
      <div>
        <SubmitButton pendingText="Saving…">Save domain</SubmitButton>
      </div>
    </form>
  );
}
