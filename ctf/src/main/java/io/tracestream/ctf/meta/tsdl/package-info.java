/**
 * CTF 1.8.3 TSDL metadata: {@link io.tracestream.ctf.meta.tsdl.MetadataReader} reads a trace's {@code metadata}
 * file (plain text, packetized in either byte order, or CTF 2 JSON handed to the CTF 2 parser) and
 * {@link io.tracestream.ctf.meta.tsdl.TsdlParser} turns TSDL text into a {@link io.tracestream.ctf.meta.TraceClass}.
 *
 * <p>Inside: a hand-written lexer ({@code Lexer}) and recursive-descent parser ({@code Parser}) build a syntax tree
 * ({@code Ast}); {@code Analyzer} handles type scopes, aliases and block attributes and builds position-independent
 * type trees ({@code Types}); {@code Resolver} converts each dynamic scope to the model, resolving sequence lengths
 * and variant tags to absolute field paths and giving well-known fields their roles; {@code Roles} checks
 * well-known fields and infers stream default clocks.
 */
package io.tracestream.ctf.meta.tsdl;
