/** The part of smtp-server 3.21 that the local stand-in uses (the package ships no types). */
declare module 'smtp-server' {
  import type { Server } from 'node:net';
  import type { Readable } from 'node:stream';
  export interface SMTPServerAddress {
    address: string;
  }
  export interface SMTPServerSession {
    envelope: { mailFrom: SMTPServerAddress | false; rcptTo: SMTPServerAddress[] };
  }
  export interface SMTPServerOptions {
    authOptional?: boolean;
    disabledCommands?: string[];
    banner?: string;
    size?: number;
    logger?: boolean;
    onRcptTo?(address: SMTPServerAddress, session: SMTPServerSession, callback: (error?: Error | null) => void): void;
    onData?(
      stream: Readable & { sizeExceeded?: boolean },
      session: SMTPServerSession,
      callback: (error?: Error | null, message?: string) => void,
    ): void;
  }
  export class SMTPServer {
    constructor(options: SMTPServerOptions);
    server: Server;
    listen(port: number, host: string, callback?: () => void): Server;
    close(callback?: () => void): void;
    on(event: 'error', listener: (error: Error) => void): this;
  }
}
