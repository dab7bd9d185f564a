/**
 * What a shopping-team scenario file holds beyond the common fields: the shared cart's currency,
 * the shared workspace, the shoppers' roles and searches, and how much each subagent buys. The
 * script that runs it is shopping-team.ts.
 */
import * as z from 'zod/v4';
import { baseScenarioShape } from './base.js';

export const shoppingTeamSchema = z
  .strictObject({
    ...baseScenarioShape,
    kind: z.literal('shopping-team'),
    currency: z.enum(['USD', 'EUR', 'GBP']).default('USD').describe('Currency of the shared cart'),
    workspace: z
      .strictObject({
        name: z.string().min(1).max(100).describe('Label of the shared workspace'),
        files: z
          .array(z.strictObject({ path: z.string().min(1), content: z.string() }))
          .default([])
          .describe('Files the shared workspace starts with'),
      })
      .describe('The shared workspace the orchestrator creates; subagents fork it'),
    shoppers: z
      .array(
        z.strictObject({
          role: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes'),
          search: z.string().min(1).max(100).describe('What this shopper types into the storefront search box'),
        }),
      )
      .min(1)
      .describe('Roles handed out to subagents in turn (subagent i plays shoppers[i mod length])'),
    itemsPerSubagent: z.number().int().min(1).max(5).default(2).describe('Products each subagent adds'),
    quantity: z.number().int().min(1).max(10).default(1).describe('Units per product added'),
    minStock: z.number().int().min(1).default(50).describe('Products showing less stock are skipped'),
    notesDir: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'expected one directory name of lowercase letters, digits and dashes')
      .default('notes'),
  })
  .superRefine((scenario, context) => {
    const missing = (['cart', 'workspace', 'browser'] as const).filter((s) => !scenario.servers.includes(s));
    if (missing.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['servers'],
        message: `expected cart, workspace and browser (a shopping team uses all three), missing ${missing.join(', ')}`,
      });
    }
  });

export type ShoppingTeam = z.infer<typeof shoppingTeamSchema>;
