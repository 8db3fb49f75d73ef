// The signed-in layout: every route under it requires a session.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "../root";
import { AppShell } from "../ui/app-shell";
import { requireUser } from "../web/request.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  return {
    user: {
      name: actor.name,
      email: actor.email,
      role: actor.role,
      organizationName: actor.organizationName,
      organizationType: actor.organizationType,
    },
  };
}

export default function AppLayout() {
  const { user } = useLoaderData<typeof loader>();
  return (
    <AppShell user={user}>
      <Outlet />
    </AppShell>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
