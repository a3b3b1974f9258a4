/**
 * The {@code jetbus} command: {@code demo} walks through the core patterns on an embedded bus.
 */
package io.jetbus.cli;
