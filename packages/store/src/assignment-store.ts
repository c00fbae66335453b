// Who each firing alert is assigned to, kept beside the silences so a restart keeps them (the alert
// book holds them in memory). By alert fingerprint; implemented by both stores, tested by the shared
// contract.
import type { AlertAssignment } from '@wardwatch/schema';

export interface StoredAssignment {
  fingerprint: string;
  assignment: AlertAssignment;
}

export interface AssignmentStore {
  /** Stores who an alert is assigned to; an assignment already stored for it is replaced. */
  putAssignment(fingerprint: string, assignment: AlertAssignment): Promise<void>;
  /** Removes one; false when there was none. */
  deleteAssignment(fingerprint: string): Promise<boolean>;
  /** Every stored assignment, oldest first. */
  storedAssignments(): Promise<StoredAssignment[]>;
}
