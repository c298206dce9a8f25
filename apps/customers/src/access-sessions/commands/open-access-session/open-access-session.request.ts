import { ApiProperty } from '@nestjs/swagger';

/** The request names nothing beyond the customer in the path: the body is `{}` (or absent). */
export class OpenAccessSessionRequest {}

export class AccessSessionResponse {
  @ApiProperty({ format: 'uuid' })
  sessionId!: string;
  @ApiProperty({ description: "HS256 JWT for the customer's environment (aud customer-environment; claims sub, pid, cid, sid)" })
  token!: string;
  @ApiProperty({ format: 'date-time', description: 'The session ends by itself then (15 minutes), or earlier when you open another one' })
  expiresAt!: string;
  @ApiProperty({ format: 'uri', example: 'https://environment.example.com/customers/0192e5f0-0000-7000-8000-0000000000c1' })
  environmentUrl!: string;
}
