/**
 * The partner the embedded system's demo data belongs to, and for which start-up prints a
 * ready `global-admin` token. Fixed so tokens and seeded data agree across restarts.
 */
export const DEMO_PARTNER_ID = '0192e5f0-0000-7000-8000-000000000001';

/** The demo `global-admin` user of {@link DEMO_PARTNER_ID}. */
export const DEMO_ADMIN_USER_ID = '0192e5f0-0000-7000-8000-0000000000a1';
