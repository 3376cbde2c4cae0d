package io.llmobserve.providers.sse;

import io.llmobserve.providers.json.ByteSink;
import io.llmobserve.providers.json.Bytes;
import io.llmobserve.providers.json.JsonScanner;

/**
 * Splits a text/event-stream into events and streams each event's {@code data:} payload into a
 * {@link JsonScanner} without buffering lines (a data line may be any size). Lines end with LF, CR
 * or CRLF, in any chunk split. Other fields (event, id, retry) and comments are skipped: every
 * provider repeats the event type inside the JSON. Non-JSON data such as {@code [DONE]} just fails
 * that event's scan, which the event boundary resets.
 *
 * <p>An event whose data exceeds {@link #MAX_EVENT_DATA} bytes (a pathological single line of
 * hundreds of MB) is not scanned further: the rest of it is skipped at line-search speed and
 * counted in {@link #oversizedEvents()}; the next event is read normally.
 */
public final class SseDecoder implements ByteSink {
  private static final int LINE_START = 0;
  private static final int FIELD = 1;
  private static final int AFTER_COLON = 2;
  private static final int DATA = 3;
  private static final int IGNORE = 4;

  /** "data" as {@link #field} holds it. */
  private static final int DATA_FIELD = ('d' << 24) | ('a' << 16) | ('t' << 8) | 'a';

  private static final int MAX_FIELD = 4;
  private static final byte[] LF = {'\n'};

  /**
   * Largest event payload scanned (the biggest real events, whole Responses API results, are far
   * below).
   */
  public static final long MAX_EVENT_DATA = 4L << 20;

  private final JsonScanner scanner;
  private long eventData;
  private boolean eventOversized;
  private long oversizedEvents;
  private int state = LINE_START;
  private int field; // the field name's first bytes, one per byte of the int (no array per call)
  private int fieldLen;
  private boolean fieldTooLong;
  private boolean lastWasCr;
  private boolean dataInEvent;

  public SseDecoder(JsonScanner scanner) {
    this.scanner = scanner;
  }

  /** Events whose data was cut at {@link #MAX_EVENT_DATA}. */
  public long oversizedEvents() {
    return oversizedEvents;
  }

  @Override
  public void accept(byte[] b, int off, int length) {
    int i = off;
    int end = off + length;
    while (i < end) {
      byte c = b[i];
      if (lastWasCr) {
        lastWasCr = false;
        if (c == '\n') {
          i++;
          continue; // second half of CRLF
        }
      }
      switch (state) {
        case LINE_START:
          if (c == '\n' || c == '\r') {
            lastWasCr = c == '\r';
            i++;
            endEvent();
          } else {
            fieldLen = 0;
            field = 0;
            fieldTooLong = false;
            state = FIELD;
          }
          break;
        case FIELD:
          while (i < end) {
            c = b[i];
            if (c == ':' || c == '\n' || c == '\r') {
              break;
            }
            if (fieldLen < MAX_FIELD) {
              field = (field << 8) | (c & 0xFF);
              fieldLen++;
            } else {
              fieldTooLong = true;
            }
            i++;
          }
          if (i < end) {
            if (c == ':') {
              i++;
              state = AFTER_COLON;
            } else {
              state = IGNORE; // a field without value: handled by IGNORE's line end
            }
          }
          break;
        case AFTER_COLON:
          if (c == ' ') {
            i++;
          }
          if (isDataField()) {
            if (dataInEvent) {
              scanner.accept(LF, 0, 1); // SSE joins data lines with LF, which is JSON whitespace
            }
            dataInEvent = true;
            state = DATA;
          } else {
            state = IGNORE;
          }
          break;
        case DATA:
        case IGNORE:
          {
            int start = i;
            i = Bytes.indexOfLineEnd(b, i, end);
            if (state == DATA && i > start && !eventOversized) {
              eventData += i - start;
              if (eventData > MAX_EVENT_DATA) {
                eventOversized = true;
                oversizedEvents++;
                scanner.reset(); // the event's partial JSON is dropped, later events scan normally
              } else {
                scanner.accept(b, start, i - start);
              }
            }
            if (i < end) {
              lastWasCr = b[i] == '\r';
              i++;
              state = LINE_START;
            }
            break;
          }
        default:
          state = LINE_START;
      }
    }
  }

  private boolean isDataField() {
    return !fieldTooLong && fieldLen == MAX_FIELD && field == DATA_FIELD;
  }

  private void endEvent() {
    eventData = 0;
    eventOversized = false;
    if (dataInEvent) {
      dataInEvent = false;
      scanner.reset();
    }
  }

  @Override
  public void end() {
    endEvent();
    scanner.end();
  }
}
