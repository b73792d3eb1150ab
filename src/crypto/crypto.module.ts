import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CredentialCipher } from './credential-cipher';
import { resolveEncryptionKey } from './encryption-key';

@Module({
  providers: [
    {
      provide: CredentialCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new CredentialCipher(resolveEncryptionKey(config.encryptionKey, config.dataDir)),
    },
  ],
  exports: [CredentialCipher],
})
export class CryptoModule {}
