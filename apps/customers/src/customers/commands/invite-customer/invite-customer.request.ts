import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_TYPES, type AccountType } from '../../domain/customer.events';

export const COUNTRY_RE = /^[A-Z]{2}$/;
export const LOCALE_RE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export class InviteCustomerRequest {
  @ApiProperty({ minLength: 1, maxLength: 256, example: 'Contoso Ltd' })
  @IsString()
  @Length(1, 256)
  organizationName!: string;

  @ApiProperty({ maxLength: 253, example: 'contoso.com', description: 'DNS name of the customer organisation' })
  @IsString()
  @MaxLength(253)
  primaryDomain!: string;

  @ApiProperty({ example: 'IT', description: 'ISO 3166-1 alpha-2 country or region' })
  @IsString()
  @Matches(COUNTRY_RE, { message: 'countryCode must be an ISO 3166-1 alpha-2 code (two capital letters)' })
  countryCode!: string;

  @ApiProperty({ enum: ACCOUNT_TYPES })
  @IsIn(ACCOUNT_TYPES)
  accountType!: AccountType;

  @ApiPropertyOptional({ example: 'it-admin@contoso.com', description: 'Required except for authorization-link invitations' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 50, example: ['gold'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ example: 'it', description: 'BCP 47 language of the invitation (en, it, fr, …); en by default' })
  @IsOptional()
  @IsString()
  @Matches(LOCALE_RE, { message: 'locale must be a BCP 47 language tag (en, it, fr, …)' })
  locale?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Indirect provider that also gets a relationship on acceptance' })
  @IsOptional()
  @IsUUID()
  indirectProviderId?: string;

  @ApiPropertyOptional({ maxLength: 20000, description: 'The invitation email text; a localised default when absent' })
  @IsOptional()
  @IsString()
  @Length(1, 20000)
  draftEmail?: string;

  @ApiPropertyOptional({ maxLength: 256, description: 'Partner name used in the default email text' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  partnerName?: string;

  @ApiPropertyOptional({ maxLength: 256, description: 'Indirect provider name used in the default email text' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  indirectProviderName?: string;
}

export class InvitationDto {
  @ApiProperty({ description: 'Personalised, signed, single-use link (a bearer secret)' }) link!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ description: 'Editable email text' }) draftEmail!: string;
}

export class InvitationResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['invited'] }) status!: 'invited';
  @ApiProperty({ type: InvitationDto }) invitation!: InvitationDto;
}
