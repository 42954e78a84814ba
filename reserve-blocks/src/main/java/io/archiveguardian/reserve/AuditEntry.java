package io.archiveguardian.reserve;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the audit log ({@code audit.jsonl}): a change to the reserve, who made it and why.
 *
 * @param time    ISO-8601 instant
 * @param action  arm, arm-failed, release, rearm, remove, recover
 * @param trigger what caused it
 * @param tier    the tier concerned
 * @param bytes   bytes armed or released
 * @param reason  the caller's reason or what a recovery found
 * @param user    operating-system user
 * @param pid     process id
 * @param program the acting program
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(String time, String action, Trigger trigger, Integer tier, long bytes, String reason,
                         String user, long pid, String program) {
}
