/** Ballast files that hold real blocks on one filesystem and give them back when it matters. */
package io.archiveguardian.reserve;
