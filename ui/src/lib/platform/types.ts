// The wire types the UI uses, generated from Rust (ui/src/lib/bindings, never edited by hand).
export type { AppInfo } from '../bindings/AppInfo';
export type { Department } from '../bindings/Department';
export type { ErrorCode } from '../bindings/ErrorCode';
export type { ErrorResponse } from '../bindings/ErrorResponse';
export type { Me } from '../bindings/Me';
export type { NewTicket } from '../bindings/NewTicket';
export type { OrganisationRef } from '../bindings/OrganisationRef';
export type { Priority } from '../bindings/Priority';
export type { RefreshOutcome } from '../bindings/RefreshOutcome';
export type { Role } from '../bindings/Role';
export type { Ticket } from '../bindings/Ticket';
export type { TicketStatus } from '../bindings/TicketStatus';
